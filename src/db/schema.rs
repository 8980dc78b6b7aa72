//! Diesel table definitions shared by both backends. Hand-kept in step with
//! `migrations/{postgres,sqlite}`; `tests/it/schema.rs` checks that the
//! migrated databases and this file agree.

diesel::table! {
    controllers (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        reference_prefix -> Text,
        dpo_email -> Text,
        dpo_name -> Nullable<Text>,
        postal_address -> Nullable<Text>,
        host_name -> Nullable<Text>,
        locale -> Text,
        time_zone -> Text,
        holiday_region -> Text,
        extra_holidays -> Text,
        proof_required_kinds -> Text,
        proof_retention_months -> BigInt,
        objection_retention_months -> BigInt,
        suppression_retention_months -> BigInt,
        connection_data_retention_months -> BigInt,
        unconfirmed_retention_days -> BigInt,
        delete_proof_on_identity_accepted -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reference_counters (controller_id, year) {
        controller_id -> Text,
        year -> BigInt,
        last_number -> BigInt,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        disabled -> Bool,
        disabled_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    staff_controllers (staff_id, controller_id) {
        staff_id -> Text,
        controller_id -> Text,
    }
}

diesel::table! {
    staff_sessions (id) {
        id -> Text,
        staff_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    login_records (id) {
        id -> Text,
        staff_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        success -> Bool,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    requests (id) {
        id -> Text,
        controller_id -> Text,
        reference -> Nullable<Text>,
        kind -> Text,
        channel -> Text,
        status -> Text,
        locale -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        email -> Nullable<Text>,
        postal_address -> Nullable<Text>,
        details -> Nullable<Text>,
        objection_grounds -> Nullable<Text>,
        submitted_at -> Timestamp,
        received_at -> Nullable<Timestamp>,
        confirmed_at -> Nullable<Timestamp>,
        due_on -> Nullable<Date>,
        identity_accepted_at -> Nullable<Timestamp>,
        extension_months -> BigInt,
        extension_reason -> Nullable<Text>,
        extended_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        refusal_ground -> Nullable<Text>,
        refusal_detail -> Nullable<Text>,
        legal_hold -> Bool,
        legal_hold_reason -> Nullable<Text>,
        legal_hold_at -> Nullable<Timestamp>,
        proofs_purged_at -> Nullable<Timestamp>,
        anonymised_at -> Nullable<Timestamp>,
        confirm_token_hash -> Nullable<Text>,
        confirm_token_expires_at -> Nullable<Timestamp>,
        status_token_hash -> Nullable<Text>,
        submitter_ip -> Nullable<Text>,
        submitter_user_agent -> Nullable<Text>,
        version -> BigInt,
        updated_at -> Timestamp,
        registration_key -> Nullable<Text>,
    }
}

diesel::table! {
    request_suspensions (id) {
        id -> Text,
        request_id -> Text,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    request_messages (id) {
        id -> Text,
        request_id -> Text,
        direction -> Text,
        author_staff_id -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    request_recipients (id) {
        id -> Text,
        request_id -> Text,
        recipient -> Text,
        notified_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    identity_proofs (id) {
        id -> Text,
        request_id -> Text,
        ciphertext -> Binary,
        nonce -> Binary,
        wrapped_key -> Binary,
        key_id -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        display_name -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        id -> Text,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        controller_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        action -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    event_chain_head (id) {
        id -> BigInt,
        last_seq -> BigInt,
        last_hash -> Text,
        chain_id -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        request_id -> Nullable<Text>,
        controller_id -> Nullable<Text>,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        message_id -> Text,
        created_at -> Timestamp,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        failed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    suppression_entries (id) {
        id -> Text,
        controller_id -> Text,
        email_hmac -> Text,
        request_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    purge_runs (id) {
        id -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        as_of -> Timestamp,
        dry_run -> Bool,
        controller_id -> Nullable<Text>,
        trigger_source -> Text,
        outcome -> Text,
        report -> Text,
    }
}

diesel::table! {
    digest_sends (staff_id, local_date) {
        staff_id -> Text,
        local_date -> Date,
        sent_at -> Timestamp,
        mailed -> Bool,
    }
}

diesel::table! {
    sealed_secrets (purpose) {
        purpose -> Text,
        key_id -> Text,
        sealed -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        staff_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(reference_counters -> controllers (controller_id));
diesel::joinable!(staff_controllers -> staff (staff_id));
diesel::joinable!(staff_controllers -> controllers (controller_id));
diesel::joinable!(staff_sessions -> staff (staff_id));
diesel::joinable!(api_tokens -> staff (staff_id));
diesel::joinable!(login_records -> staff (staff_id));
diesel::joinable!(requests -> controllers (controller_id));
diesel::joinable!(request_suspensions -> requests (request_id));
diesel::joinable!(request_messages -> requests (request_id));
diesel::joinable!(request_recipients -> requests (request_id));
diesel::joinable!(identity_proofs -> requests (request_id));
diesel::joinable!(outbox -> requests (request_id));
diesel::joinable!(suppression_entries -> controllers (controller_id));
diesel::joinable!(digest_sends -> staff (staff_id));

diesel::allow_tables_to_appear_in_same_query!(
    controllers,
    reference_counters,
    staff,
    staff_controllers,
    staff_sessions,
    login_records,
    setup_tokens,
    requests,
    request_suspensions,
    request_messages,
    request_recipients,
    identity_proofs,
    events,
    event_chain_head,
    outbox,
    suppression_entries,
    purge_runs,
    digest_sends,
    sealed_secrets,
    api_tokens,
);
