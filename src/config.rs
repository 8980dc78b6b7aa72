//! One `Config` for the whole service: command-line flags and environment
//! variables first, then an optional TOML file, then safe defaults.
//!
//! The defaults make `cargo run --release` work on a fresh machine: SQLite in
//! `./data`, mail written as `.eml` files, a master key generated on first
//! start.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;

use crate::db::DatabaseUrl;
use crate::security::proxies::TrustedProxies;

/// Settings that can come from flags, environment variables or the TOML file.
/// Every field is optional here; [`Config::load`] fills in the defaults.
#[derive(Debug, Clone, Default, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Database: a SQLite file path or sqlite://PATH (default DATA_DIR/dsr-tracker.sqlite),
    /// or postgres://USER:PASSWORD@HOST/DB.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder for the SQLite file, the generated master key and .eml files [default: ./data].
    #[arg(long, env = "DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Address and port the web server listens on [default: 127.0.0.1:8080].
    #[arg(long, env = "BIND_ADDR", global = true)]
    pub bind_addr: Option<String>,

    /// Public base URL used in links sent by e-mail, e.g. https://dsr.example.fr
    /// [default: http://BIND_ADDR]. An https URL turns on Secure, __Host- cookies.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// SMTP server, e.g. smtp://127.0.0.1:1025 or smtps://user:pass@mail.example.fr.
    /// Unset: messages are written as .eml files under DATA_DIR/mail.
    #[arg(long, env = "SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// Sender of outgoing mail [default: dsr-tracker <no-reply@localhost>].
    #[arg(long, env = "MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// File holding the master key (base64, 32 bytes) that wraps the keys of
    /// identity proofs [default: DATA_DIR/master.key, generated on first start].
    #[arg(long, env = "MASTER_KEY_FILE", global = true)]
    pub master_key_file: Option<PathBuf>,

    /// The master key itself (base64, 32 bytes), for secret stores that inject
    /// environment variables. Takes precedence over MASTER_KEY_FILE.
    #[arg(long, env = "MASTER_KEY", global = true, hide_env_values = true)]
    pub master_key: Option<String>,

    /// Hour (0-23, in each controller's time zone) at which `serve` runs the nightly purge [default: 3].
    #[arg(long, env = "PURGE_HOUR", global = true)]
    pub purge_hour: Option<u32>,

    /// Hour (0-23, in the time zone of each DPO's first controller) at which `serve` queues the DPOs' daily digest [default: 8].
    #[arg(long, env = "DIGEST_HOUR", global = true)]
    pub digest_hour: Option<u32>,

    /// Largest identity-proof file accepted, in bytes [default: 10485760].
    #[arg(long, env = "PROOF_MAX_FILE_BYTES", global = true)]
    pub proof_max_file_bytes: Option<u64>,

    /// Largest total of identity proofs per request, in bytes [default: 20971520].
    #[arg(long, env = "PROOF_MAX_TOTAL_BYTES", global = true)]
    pub proof_max_total_bytes: Option<u64>,

    /// Web submissions accepted per e-mail address and per IP address per hour [default: 5].
    #[arg(long, env = "SUBMISSIONS_PER_HOUR", global = true)]
    pub submissions_per_hour: Option<u32>,

    /// Maximum database connections in the pool [default: 10].
    #[arg(long, env = "DB_POOL_SIZE", global = true)]
    pub db_pool_size: Option<u32>,

    /// Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR
    /// ranges, comma-separated (e.g. 127.0.0.1,10.0.0.0/8) [default: none].
    #[arg(long, env = "TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
}

impl Settings {
    /// Values set here win over those of `lower`.
    fn or(self, lower: Settings) -> Settings {
        Settings {
            database_url: self.database_url.or(lower.database_url),
            data_dir: self.data_dir.or(lower.data_dir),
            bind_addr: self.bind_addr.or(lower.bind_addr),
            public_url: self.public_url.or(lower.public_url),
            smtp_url: self.smtp_url.or(lower.smtp_url),
            mail_from: self.mail_from.or(lower.mail_from),
            master_key_file: self.master_key_file.or(lower.master_key_file),
            master_key: self.master_key.or(lower.master_key),
            purge_hour: self.purge_hour.or(lower.purge_hour),
            digest_hour: self.digest_hour.or(lower.digest_hour),
            proof_max_file_bytes: self.proof_max_file_bytes.or(lower.proof_max_file_bytes),
            proof_max_total_bytes: self.proof_max_total_bytes.or(lower.proof_max_total_bytes),
            submissions_per_hour: self.submissions_per_hour.or(lower.submissions_per_hour),
            db_pool_size: self.db_pool_size.or(lower.db_pool_size),
            trusted_proxies: self.trusted_proxies.or(lower.trusted_proxies),
        }
    }
}

/// Creates `dir` (and its missing parents) readable by the service's own
/// user only: the data folder holds the SQLite database, the master key
/// and the `.eml` copies, all personal data or the key to it. A folder
/// that already exists keeps the mode its operator gave it.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Where the master key comes from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// Given inline (base64).
    Inline(String),
    /// A file the operator named: it must exist, a missing one is an error
    /// rather than a reason to generate a new key that cannot open old proofs.
    File(PathBuf),
    /// The default file in the data folder, generated on first start.
    DefaultFile(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub data_dir: PathBuf,
    pub bind_addr: SocketAddr,
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub master_key: MasterKeySource,
    pub purge_hour: u32,
    pub digest_hour: u32,
    pub proof_max_file_bytes: u64,
    pub proof_max_total_bytes: u64,
    pub submissions_per_hour: u32,
    pub db_pool_size: u32,
    pub trusted_proxies: TrustedProxies,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration file {path}: {message}")]
    ParseFile { path: PathBuf, message: String },
    #[error("invalid {name}: {message}")]
    Invalid { name: &'static str, message: String },
}

fn invalid(name: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        message: message.into(),
    }
}

impl Config {
    /// Merges flags/environment (`given`) over the TOML file (if any) over defaults.
    pub fn load(given: Settings, file: Option<&Path>) -> Result<Config, ConfigError> {
        let from_file = match file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
                        path: path.to_owned(),
                        source,
                    })?;
                toml::from_str::<Settings>(&text).map_err(|e| ConfigError::ParseFile {
                    path: path.to_owned(),
                    message: e.message().to_owned(),
                })?
            }
            None => Settings::default(),
        };
        Self::from_settings(given.or(from_file))
    }

    pub fn from_settings(s: Settings) -> Result<Config, ConfigError> {
        let data_dir = s.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = match s.database_url.as_deref() {
            Some(raw) => {
                DatabaseUrl::parse(raw).map_err(|e| invalid("DATABASE_URL", e.to_string()))?
            }
            None => DatabaseUrl::Sqlite(crate::db::default_sqlite_path(&data_dir)),
        };
        let bind_raw = s.bind_addr.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind_addr: SocketAddr = bind_raw
            .parse()
            .map_err(|_| invalid("BIND_ADDR", format!("`{bind_raw}` is not HOST:PORT")))?;
        let public_url = match s.public_url {
            Some(url) => {
                let url = url.trim_end_matches('/').to_owned();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(invalid("PUBLIC_URL", "must start with http:// or https://"));
                }
                url
            }
            None => format!("http://{bind_addr}"),
        };
        if let Some(smtp) = &s.smtp_url
            && !(smtp.starts_with("smtp://") || smtp.starts_with("smtps://"))
        {
            return Err(invalid("SMTP_URL", "must start with smtp:// or smtps://"));
        }
        let master_key = match (s.master_key, s.master_key_file) {
            (Some(inline), _) => MasterKeySource::Inline(inline),
            (None, Some(path)) => MasterKeySource::File(path),
            (None, None) => MasterKeySource::DefaultFile(data_dir.join("master.key")),
        };
        let purge_hour = s.purge_hour.unwrap_or(3);
        if purge_hour > 23 {
            return Err(invalid("PURGE_HOUR", "must be between 0 and 23"));
        }
        let digest_hour = s.digest_hour.unwrap_or(8);
        if digest_hour > 23 {
            return Err(invalid("DIGEST_HOUR", "must be between 0 and 23"));
        }
        let proof_max_file_bytes = s.proof_max_file_bytes.unwrap_or(10 * 1024 * 1024);
        let proof_max_total_bytes = s.proof_max_total_bytes.unwrap_or(20 * 1024 * 1024);
        if proof_max_file_bytes == 0 || proof_max_total_bytes < proof_max_file_bytes {
            return Err(invalid(
                "PROOF_MAX_TOTAL_BYTES",
                "must be at least PROOF_MAX_FILE_BYTES, and both above zero",
            ));
        }
        let trusted_proxies = TrustedProxies::parse(s.trusted_proxies.as_deref().unwrap_or(""))
            .map_err(|e| invalid("TRUSTED_PROXIES", e))?;
        Ok(Config {
            database_url,
            data_dir,
            bind_addr,
            public_url,
            smtp_url: s.smtp_url,
            mail_from: s
                .mail_from
                .unwrap_or_else(|| "dsr-tracker <no-reply@localhost>".to_owned()),
            master_key,
            purge_hour,
            digest_hour,
            proof_max_file_bytes,
            proof_max_total_bytes,
            submissions_per_hour: s.submissions_per_hour.unwrap_or(5),
            db_pool_size: s.db_pool_size.unwrap_or(10).max(1),
            trusted_proxies,
        })
    }

    /// Where mail goes as `.eml` files without `SMTP_URL`; the purge looks
    /// there whatever the transport, since copies may predate an SMTP server.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// Whether cookies must be `Secure` with the `__Host-` prefix.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_setup() {
        let c = Config::from_settings(Settings::default()).unwrap();
        assert_eq!(
            c.database_url,
            DatabaseUrl::Sqlite(PathBuf::from("./data/dsr-tracker.sqlite"))
        );
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(c.smtp_url.is_none());
        assert!(
            matches!(c.master_key, MasterKeySource::DefaultFile(ref p) if p.ends_with("master.key"))
        );
        assert!(!c.is_https());
    }

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dsr.toml");
        std::fs::write(
            &file,
            "bind_addr = \"0.0.0.0:9000\"\npublic_url = \"https://dsr.example.fr/\"\npurge_hour = 4\n",
        )
        .unwrap();
        let given = Settings {
            purge_hour: Some(5),
            ..Settings::default()
        };
        let c = Config::load(given, Some(&file)).unwrap();
        assert_eq!(c.bind_addr.to_string(), "0.0.0.0:9000");
        assert_eq!(c.public_url, "https://dsr.example.fr");
        assert_eq!(c.purge_hour, 5);
        assert!(c.is_https());
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::from_settings(Settings {
            bind_addr: Some("nowhere".into()),
            ..Settings::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("BIND_ADDR"));
        let err = Config::from_settings(Settings {
            database_url: Some("mysql://x/y".into()),
            ..Settings::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("DATABASE_URL"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "no_such_setting = 1\n").unwrap();
        assert!(Config::load(Settings::default(), Some(&file)).is_err());
        let err = Config::from_settings(Settings {
            trusted_proxies: Some("127.0.0.1, nginx".into()),
            ..Settings::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("TRUSTED_PROXIES"), "{err}");
    }
}

#[cfg(test)]
mod digest_hour_tests {
    use super::*;

    #[test]
    fn digest_hour_defaults_to_8_and_is_checked() {
        assert_eq!(
            Config::from_settings(Settings::default())
                .unwrap()
                .digest_hour,
            8
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dsr.toml");
        std::fs::write(&file, "digest_hour = 6\n").unwrap();
        assert_eq!(
            Config::load(Settings::default(), Some(&file))
                .unwrap()
                .digest_hour,
            6
        );
        let given = Settings {
            digest_hour: Some(7),
            ..Settings::default()
        };
        assert_eq!(Config::load(given, Some(&file)).unwrap().digest_hour, 7);
        let err = Config::from_settings(Settings {
            digest_hour: Some(24),
            ..Settings::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("DIGEST_HOUR"));
    }
}
