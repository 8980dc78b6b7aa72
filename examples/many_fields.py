#!/usr/bin/env python3
"""An anonymous multipart body of many tiny fields against a running server,
with /healthz polled meanwhile (BENCHMARKS.md, "Many form fields").

    DATA_DIR=$(mktemp -d) target/debug/dsr-tracker controller add --slug ville \
        --name Ville --dpo-email dpo@ville.example.fr
    DATA_DIR=... BIND_ADDR=127.0.0.1:8097 target/debug/dsr-tracker serve &
    examples/many_fields.py http://127.0.0.1:8097/c/ville/ 120000

Each name is sent twice (the duplicates the form must track), so
120,000 fields are 60,000 names, about 7 MB.
"""
import http.client
import sys
import threading
import time
import urllib.parse


def body(fields):
    boundary = "----dsrbench"
    parts = []
    for i in range(fields):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="field{i // 2:06}"\r\n\r\nvalue\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return boundary, "".join(parts).encode()


def main():
    url = urllib.parse.urlsplit(sys.argv[1])
    fields = int(sys.argv[2]) if len(sys.argv) > 2 else 120_000
    boundary, data = body(fields)
    done = threading.Event()
    health = []

    def poll():
        while not done.is_set():
            started = time.monotonic()
            c = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
            c.request("GET", "/healthz")
            c.getresponse().read()
            health.append(time.monotonic() - started)
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    started = time.monotonic()
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    try:
        c.request(
            "POST",
            url.path,
            body=data,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        res = c.getresponse()
        res.read()
        status = res.status
    except (BrokenPipeError, ConnectionResetError) as e:
        # The server answered and closed before reading the whole body.
        status = type(e).__name__
    elapsed = time.monotonic() - started
    time.sleep(0.3)
    done.set()
    poller.join()
    print(
        f"{fields} fields, {len(data) / 1e6:.1f} MB: status {status} in {elapsed:.2f} s; "
        f"/healthz meanwhile: {len(health)} probes, max {max(health) * 1000:.0f} ms, "
        f"median {sorted(health)[len(health) // 2] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
