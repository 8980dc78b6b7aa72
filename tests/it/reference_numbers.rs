//! Reference numbers: one sequence per controller and year, never the same
//! number twice, even when two transactions take the year's first number
//! at the same time (a citizen's confirmation and a DPO's registration).

use std::sync::mpsc;
use std::time::Duration;

use diesel::Connection;
use dsr_tracker::store::requests;

use crate::support::TestApp;

crate::db_test!(two_first_numbers_of_a_year_at_once_differ, async |db| {
    let app = TestApp::builder().start(&db).await;
    let issy = &app.issy;
    let pool = db.pool();
    let (first_taken, go) = mpsc::channel::<()>();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            let mut conn = pool.get().unwrap();
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                let n = requests::next_reference_number(conn, &issy.id, 2031)?;
                first_taken.send(()).unwrap();
                // Held open while the other transaction finds no row for
                // the year and tries to create it too.
                std::thread::sleep(Duration::from_millis(300));
                Ok(n)
            })
            .unwrap()
        });
        go.recv().unwrap();
        let b = s.spawn(|| {
            let mut conn = pool.get().unwrap();
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                requests::next_reference_number(conn, &issy.id, 2031)
            })
            .unwrap()
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!((a, b), (1, 2));
    let mut conn = db.conn();
    assert_eq!(
        requests::next_reference_number(&mut conn, &issy.id, 2031).unwrap(),
        3
    );
    // Another year, another sequence.
    assert_eq!(
        requests::next_reference_number(&mut conn, &issy.id, 2032).unwrap(),
        1
    );
});
