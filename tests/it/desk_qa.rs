//! What a walk through the desk in a real browser turned up: the request
//! page is read before it is acted on, so what the citizen sent (messages,
//! identity proofs) comes before the action forms.

use dsr_tracker::domain::request::RequestKind;

use crate::support::desk::{DPO_ISSY, DeskApp, rt};

crate::db_test!(
    request_page_shows_proofs_and_messages_before_actions,
    |db| {
        rt().block_on(async {
            let app = DeskApp::start(&db).await;
            let request = app.new_request(&db, &app.issy, RequestKind::Access);
            let dpo = app.login(DPO_ISSY).await;
            for lang in ["", "?lang=en"] {
                let page = dpo
                    .page(&format!("/desk/requests/{}{lang}", request.id))
                    .await;
                let at = |needle: &str| {
                    page.find(needle)
                        .unwrap_or_else(|| panic!("{needle} missing\n{page}"))
                };
                let actions = at("<section id=\"actions\">");
                assert!(at("id=\"messages-title\"") < actions, "{page}");
                assert!(at("id=\"proofs-title\"") < actions, "{page}");
                // The first action a DPO takes on a new request, after reading.
                assert!(actions < at("/actions/accept_identity"), "{page}");
            }
        });
    }
);
