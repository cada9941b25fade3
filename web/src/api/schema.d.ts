// Generated from the control plane's OpenAPI document by web/scripts/api.mjs.
// Do not edit: run `make web-api` after changing the API.

export interface paths {
    "/edge/v1/cdrs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post one CDR (idempotent by tenant and call id)
         * @description 201 when stored, 200 with status=duplicate for a repeat.
         */
        post: operations["edge_post_cdr"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/cdrs/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post up to 50 CDRs; a result per CDR (idempotent by tenant and call id)
         * @description 200 with one result per CDR in order: created, duplicate, or error with its code, message and whether a retry may succeed (`retry`). A refused CDR never fails the others.
         */
        post: operations["edge_post_cdr_batch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The edge's pending commands (click-to-call), oldest first
         * @description Only commands of tenants the edge serves, not expired (60 s). Claim one before acting on it.
         */
        get: operations["edge_commands"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/commands/{command_id}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a command (one edge wins; idempotent)
         * @description 409 command_claimed (another edge took it), 409 command_expired; 404 for a command of a tenant the edge does not serve.
         */
        post: operations["edge_claim_command"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/commands/{command_id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** How the claimed command goes (forward only) */
        post: operations["edge_report_command"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/contact-routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A tenant's contact routes (owner, VIP) for the edge's local index: the whole list, then changes
         * @description Without a cursor (or with one older than the change log keeps, about a day, or than a large import): the whole list, in pages of at most 1,000 (full on the first page; apply the pages in order, keep the last page's cursor). With a cursor: the numbers whose route changed since, each with its current route or in removed. A page with next continues with ?next=...; 403 for a tenant the edge does not serve, 404 for a tenant that does not exist.
         */
        get: operations["edge_contact_routes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/credential": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The edge's own new credential (valid from its first use) */
        post: operations["edge_new_credential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post call events (at most 100; idempotent per tenant and event id)
         * @description One result per event, in order: created (with its sequence number), duplicate (stored before), or refused (code tenant_not_served: the edge does not serve the event's tenant; edge_mismatch: the event names another edge). A refused event is not stored and must not be posted again. 400 when the batch is malformed (nothing stored).
         */
        post: operations["edge_post_events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/queue-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post up to 200 queue events; a result per event (idempotent by tenant, queue, call, kind, time, agent)
         * @description 200 with one result per event in order: created, duplicate, or error with its code and message. An event of a tenant this edge does not serve is refused (403 `forbidden` in its result); the others are stored.
         */
        post: operations["edge_post_queue_events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/queue-prompts/{tenant_id}/{queue_id}/{language}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A link to a tenant's own prompt recording (for an edge serving the tenant)
         * @description A presigned GET link (5 minutes) and the file's SHA-256; 404 for a tenant the edge does not serve.
         */
        get: operations["edge_queue_prompt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/seal-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** The edge's X25519 public key (its trunk passwords are sealed to it) */
        put: operations["edge_seal_key"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/security-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post the edge firewall's security events (up to 500)
         * @description 200 with one result per event in order: stored (for its tenant), provider_only (no tenant), or error with its code (tenant_not_served, validation_failed). A refused event never fails the others.
         */
        post: operations["edge_post_security_events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The edge's configuration snapshot (ETag / If-None-Match) */
        get: operations["edge_snapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edge/v1/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An access token (1 hour) for the edge's credential (Bearer pbxe_...) */
        post: operations["edge_access_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/provision/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What opening a one-time link shows: how to redeem it, never the credentials
         * @description A browser, a chat app's link preview or a mail scanner opens links with GET: it learns nothing and the link stays unused. Only `POST` redeems it.
         */
        get: operations["peek_provisioning"];
        put?: never;
        /** Redeem a one-time provisioning link (credentials, once): the phone or app */
        post: operations["redeem_provisioning"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/provision/d/{token}/{filename}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A desk phone's config file (Yealink, Grandstream, Fanvil)
         * @description A device with encrypt_config gets its file encrypted with its config key, as application/octet-stream (Yealink: AES-128-ECB; Grandstream: OpenSSL enc AES-256-CBC).
         */
        get: operations["device_config"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every agent (a user with an extension) with its status, reason and since */
        get: operations["list_agents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{extension}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the status of an extension's agent (supervisors, admins)
         * @description ready, paused (with a reason up to 64 characters) or logged_out. The edges receive it with the snapshot; login, logout, pause and unpause are written to the queue event log.
         */
        put: operations["set_agent_status"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling user's agent status (403 no_extension without an extension) */
        get: operations["get_my_agent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/me/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the calling user's agent status
         * @description ready, paused (with a reason up to 64 characters) or logged_out. The edges receive it with the snapshot; login, logout, pause and unpause are written to the queue event log.
         */
        put: operations["set_my_status"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/pause-reasons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's pause reasons ([] = agents type their own) */
        get: operations["get_pause_reasons"];
        /**
         * Set the tenant's pause reasons (at most 20, 64 characters each)
         * @description With a list, a pause must give one of its reasons (400 otherwise); [] allows any reason.
         */
        put: operations["set_pause_reasons"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys */
        get: operations["list_api_keys"];
        put?: never;
        /** Create an API key (shown once) */
        post: operations["create_api_key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: operations["delete_api_key"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assigned-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The numbers the provider assigned to the tenant (what it may add) */
        get: operations["list_assigned_numbers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with e-mail and password; a JWT bound to a session */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the login session of this token */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/blocklist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List block rules */
        get: operations["list_blocklist"];
        put?: never;
        /** Block a number or prefix (in, out or both) */
        post: operations["create_block"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/blocklist/{rule_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One block rule */
        get: operations["get_block"];
        put?: never;
        post?: never;
        /** Delete a block rule */
        delete: operations["delete_block"];
        options?: never;
        head?: never;
        /** Change a block rule */
        patch: operations["update_block"];
        trace?: never;
    };
    "/v1/branches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List branches */
        get: operations["list_branches"];
        put?: never;
        /** Add a branch */
        post: operations["create_branch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/branches/{branch_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One branch */
        get: operations["get_branch"];
        put?: never;
        post?: never;
        /** Delete a branch without extensions */
        delete: operations["delete_branch"];
        options?: never;
        head?: never;
        /** Change a branch */
        patch: operations["update_branch"];
        trace?: never;
    };
    "/v1/calls/{call_id}/wrapup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A call's wrap-up: disposition and notes
         * @description Agents: the calls of their own extension only (others are 404).
         */
        get: operations["get_wrapup"];
        /**
         * Write a call's wrap-up (disposition, notes, contact, ticket)
         * @description The agent who took the call (its extension is the CDR's caller or callee, or a leg of the live call), a supervisor or an admin. The call's CDR may not be stored yet: a call the tenant's edges reported (live, or ended within the hour) is enough. 400 `unknown_disposition` for a code not in `GET /v1/dispositions`, 400 `notes_too_long` past 4,000 characters.
         */
        put: operations["put_wrapup"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calls/click-to-call": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Call a contact or a number: the PBX rings your own phone first, then the customer
         * @description The caller is the user's own extension (agents cannot name another: 403 not_own_extension; without one: 403 no_extension). Refused before anything happens: 403 do_not_call (the contact asked not to be called, or the number is on the national do-not-call list), 403 outbound_refused (the tenant's outbound rules: international, 1900, block rules, an internal-only extension), 409 no_trunk, 409 no_edge; 404 for a contact that is not the caller's to see (another tenant's). An edge serving the tenant claims the command within 60 s (else it expires), rings the extension with an auto-answer hint, then the customer (outside numbers through the tenant's trunk with its DID). A repeated request_id answers the same command (200).
         */
        post: operations["click_to_call"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calls/click-to-call/{command_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How a click-to-call goes
         * @description Agents see their own clicks only.
         */
        get: operations["get_click_to_call"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calls/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calls now (agents: their own) and the newest event number they include */
        get: operations["live_calls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search calls (time range, extension, number, direction, disposition) */
        get: operations["list_cdrs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/{call_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One call */
        get: operations["get_cdr"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/{call_id}/recording": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A 5-minute download link of the call's recording
         * @description A presigned S3 GET (audio/ogg for opus, audio/wav for wav). 404 `not_found` when the call is not visible to the caller, 404 `recording_not_found` when it has no recording (never made, or deleted).
         */
        get: operations["get_cdr_recording"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export matching calls as CSV (small exports: at most 5 MiB)
         * @description The CSV in the answer, for exports that fit in one API response (API Gateway and Lambda carry at most 6 MB): past 5 MiB, about 14,000 calls, it answers 413 `export_too_large`. `POST /v1/cdrs/export.csv` takes the same query and answers with a download link of the same bytes, for up to 100,000 calls.
         */
        get: operations["export_cdrs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export matching calls as CSV to a file: a 5-minute download link
         * @description `GET /v1/cdrs/export`'s query and bytes (same columns and order, UTF-8, no BOM) for any size up to `limit` (default 10,000, at most 100,000 calls, newest first; `truncated` when more matched). The file is kept 7 days: `GET /v1/cdrs/export.csv/{report_id}` signs a new link. The export runs in the request (API Gateway allows 29 s): export a large range in slices.
         */
        post: operations["export_cdrs_csv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/export.csv/{report_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A new 5-minute link to a CSV export (kept 7 days) */
        get: operations["get_cdr_csv_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/export.xlsx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export matching calls as an Excel workbook: a 5-minute download link
         * @description The CSV export's filters and limit (default 10,000, at most 100,000 calls, newest first; `truncated` when more matched), times in the tenant's time zone, headers in `lang` (en, vi). The workbook is kept 7 days: `GET /v1/cdrs/export.xlsx/{report_id}` signs a new link. The export runs in the request (API Gateway allows 29 s): export a large range in slices.
         */
        post: operations["export_cdrs_xlsx"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cdrs/export.xlsx/{report_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A new 5-minute link to an Excel export (kept 7 days) */
        get: operations["get_cdr_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contact-fields": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The custom fields of the contact form */
        get: operations["list_contact_fields"];
        put?: never;
        /** Add a custom field (text, number, date, select, checkbox) */
        post: operations["create_contact_field"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contact-fields/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One custom field */
        get: operations["get_contact_field"];
        put?: never;
        post?: never;
        /** Delete a custom field */
        delete: operations["delete_contact_field"];
        options?: never;
        head?: never;
        /** Change a custom field (its key and type stay) */
        patch: operations["update_contact_field"];
        trace?: never;
    };
    "/v1/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search contacts (a number, words of the name, tag, segment, owner, do-not-call)
         * @description Agents see their own contacts and the team's (no owner); numbers are masked for them unless the tenant's `number_visibility` is `full`.
         */
        get: operations["list_contacts"];
        put?: never;
        /**
         * Add a contact
         * @description 409 when one of its numbers belongs to another contact.
         */
        post: operations["create_contact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact */
        get: operations["get_contact"];
        put?: never;
        post?: never;
        /** Delete a contact (its calls stay in the call history) */
        delete: operations["delete_contact"];
        options?: never;
        head?: never;
        /** Change a contact */
        patch: operations["update_contact"];
        trace?: never;
    };
    "/v1/contacts/{contact_id}/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The contact's calls, newest first (with recordings) */
        get: operations["list_contact_calls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/dnc/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a number is on the national do-not-call list
         * @description 404: not listed. The list is imported with `POST /v1/contacts/imports` (`kind: dnc`).
         */
        get: operations["get_dnc"];
        put?: never;
        post?: never;
        /** Take a number off the national do-not-call list */
        delete: operations["delete_dnc"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export contacts (a segment, a tag, an owner's, or all) as .xlsx or CSV
         * @description Answers a 5-minute download link; the file is kept 7 days.
         */
        post: operations["export_contacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Contact and do-not-call imports, newest first */
        get: operations["list_contact_imports"];
        put?: never;
        /**
         * Start an import of contacts or of the national do-not-call list (CSV or .xlsx)
         * @description With `content_base64` (up to 4 MiB) the file is previewed at once; without it the answer has a one-hour `upload_url` to PUT the file to, then call `preview`.
         */
        post: operations["create_contact_import"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/imports/{import_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One import: status, counts, errors per row */
        get: operations["get_contact_import"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/imports/{import_id}/commit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import the previewed file (a job) */
        post: operations["commit_contact_import"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/imports/{import_id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check the whole file: columns, errors per row, duplicates, the first rows */
        post: operations["preview_contact_import"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The contact of a telephone number (the caller's record)
         * @description One read of the number's item, one of the contact, whatever the number of contacts. 404: no contact has the number.
         */
        get: operations["lookup_contact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Contact settings (what agents see of numbers) */
        get: operations["get_contact_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the contact settings */
        patch: operations["update_contact_settings"];
        trace?: never;
    };
    "/v1/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List devices */
        get: operations["list_devices"];
        put?: never;
        /** Register a desk phone (vendor, model, MAC) */
        post: operations["create_device"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/devices/{device_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One device */
        get: operations["get_device"];
        put?: never;
        post?: never;
        /** Delete a device (its provisioning URL stops working) */
        delete: operations["delete_device"];
        options?: never;
        head?: never;
        /** Change a device */
        patch: operations["update_device"];
        trace?: never;
    };
    "/v1/devices/{device_id}/config-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new key for the device's encrypted config file (shown once; type it into the phone) */
        post: operations["rotate_device_config_key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/devices/{device_id}/provisioning": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new per-device provisioning URL (the previous one is revoked) */
        post: operations["create_device_provisioning"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dispositions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's disposition codes (wrap-up), in order */
        get: operations["get_dispositions"];
        /** Replace the tenant's disposition codes */
        put: operations["put_dispositions"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/edges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List edge nodes */
        get: operations["list_edges"];
        put?: never;
        /** Register an edge node (credential shown once; serves no tenant until listed) */
        post: operations["create_edge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/edges/{edge_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One edge node */
        get: operations["get_edge"];
        put?: never;
        post?: never;
        /** Delete an edge node (its token stops working) */
        delete: operations["delete_edge"];
        options?: never;
        head?: never;
        /** Change the tenants an edge serves ([] = none, null = all) */
        patch: operations["update_edge"];
        trace?: never;
    };
    "/v1/edges/{edge_id}/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate an edge's credential (the old one and its access tokens stop at once) */
        post: operations["rotate_edge_credential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's events, newest first (quota, security, contact.*, ticket.*) */
        get: operations["list_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/extensions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List extensions */
        get: operations["list_extensions"];
        put?: never;
        /** Add an extension (password generated, never shown) */
        post: operations["create_extension"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/extensions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One extension */
        get: operations["get_extension"];
        put?: never;
        post?: never;
        /** Delete an extension nothing refers to */
        delete: operations["delete_extension"];
        options?: never;
        head?: never;
        /** Change an extension */
        patch: operations["update_extension"];
        trace?: never;
    };
    "/v1/extensions/{number}/provisioning": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** One-time provisioning link (15 min) and softphone QR payload */
        post: operations["create_provisioning"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/extensions/{number}/rotate-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the SIP password now; its devices are marked for re-provisioning */
        post: operations["rotate_extension_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fraud/extensions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The toll-fraud state of each extension that called out */
        get: operations["list_states"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fraud/extensions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One extension's fraud state: decision, reasons, what was learned */
        get: operations["get_state"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fraud/extensions/{number}/lift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give the extension its outside calls back
         * @description Ends a pause or a suspension (the edges get it with the snapshot) and clears the alert.
         */
        post: operations["lift"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fraud/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The company's toll-fraud policy, scores and caps */
        get: operations["get_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the toll-fraud policy, scores or caps
         * @description policy: alert (e-mail and event only), throttle (outside calls paused for throttle_minutes) or suspend (until an admin lifts it), at action_score or when a cap is crossed; alert_score alerts. 0 turns a cap off.
         */
        patch: operations["update_settings"];
        trace?: never;
    };
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/live/edges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What each edge last reported with its events: calls now, version, config */
        get: operations["edge_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/live/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A one-time ticket (60 s) to open the live WebSocket */
        post: operations["live_ticket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List numbers (DIDs) */
        get: operations["list_numbers"];
        put?: never;
        /** Add a number on a trunk, routed to an extension */
        post: operations["create_number"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/numbers/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One number */
        get: operations["get_number"];
        put?: never;
        post?: never;
        /** Remove a number (not while it is a caller id) */
        delete: operations["delete_number"];
        options?: never;
        head?: never;
        /** Change a number's trunk or route */
        patch: operations["update_number"];
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API's OpenAPI 3.1 document */
        get: operations["openapi_document"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List plans */
        get: operations["list_plans"];
        put?: never;
        /** Add a plan */
        post: operations["create_plan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One plan */
        get: operations["get_plan"];
        put?: never;
        post?: never;
        /** Delete an unused plan */
        delete: operations["delete_plan"];
        options?: never;
        head?: never;
        /** Change a plan (applied to its tenants) */
        patch: operations["update_plan"];
        trace?: never;
    };
    "/v1/queue-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's queue events, oldest first (from, to, cursor) */
        get: operations["list_queue_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List call-center queues */
        get: operations["list_queues"];
        put?: never;
        /**
         * Add a call-center queue (number, strategy, members, settings)
         * @description 403 `feature_not_in_plan` when the tenant's plan has no queues (call-center plans CC-5/10/20 have).
         */
        post: operations["create_queue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{queue_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One queue */
        get: operations["get_queue"];
        put?: never;
        post?: never;
        /** Delete a queue no number routes or overflows to */
        delete: operations["delete_queue"];
        options?: never;
        head?: never;
        /**
         * Change a queue
         * @description 403 `feature_not_in_plan` when the tenant's plan has no queues (call-center plans CC-5/10/20 have).
         */
        patch: operations["update_queue"];
        trace?: never;
    };
    "/v1/queues/{queue_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One queue's events, oldest first (from, to, cursor) */
        get: operations["list_one_queue_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{queue_id}/prompts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload the tenant's own recording of a queue prompt (a WAV file, base64)
         * @description `name`: welcome (played once when a caller joins), callback (the offer to press 1), callback_ok, closed, leave_message. A WAV (PCM, 8 or 16 bit, mono or stereo, >= 8 kHz, <= 180 s, <= 4 MiB); 400 `bad_audio`/`too_long`/`too_big` otherwise. The place in line and the wait stay the product's voice.
         */
        put: operations["upload_queue_prompt"];
        post?: never;
        /** Drop the tenant's own recording of a prompt (the product's voice speaks it again) */
        delete: operations["delete_queue_prompt"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/report.xlsx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue and agent report of a period as an Excel workbook: a 5-minute download link
         * @description Sheets: a summary (per queue: entered, answered, abandoned with short ones apart, timeouts, refused, callbacks, both service levels, ASA, average talk, abandon rate; per agent: answered, talk, pause, personal calls), one row per interval and queue with a chart of offered vs answered and the service level, and the agents. `from`/`to`: ISO 8601, without an offset in the tenant's time zone, at most 31 days (400 past it); `interval` 15m, 30m, 1h or 1d (local days); `lang` en or vi; `queue_id` one queue of the tenant (404 otherwise). At most 20,000 interval rows (intervals times queues, plus an all-queues block): 400 on `interval` past it. Past 200,000 queue events: 413 `export_too_large`. The workbook is kept 7 days: `GET /v1/queues/report.xlsx/{report_id}` signs a new link.
         */
        post: operations["create_queue_report"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/report.xlsx/{report_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A new 5-minute link to a queue report (kept 7 days) */
        get: operations["get_queue_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Call-center figures of a period (default today): per queue and per agent, from the queue event log
         * @description Computed by pbx_core.queue_stats from the events of [from, to) (ISO 8601; no offset = the tenant's local time; default from the tenant's midnight until now). Service level = answered within the queue's service_level_s / answered; abandon rate leaves out abandons shorter than 5 s.
         */
        get: operations["queue_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/recordings/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recording storage used, quota, level and full-quota policy */
        get: operations["recording_usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/security/bans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bans and holds of the edge firewall that concern the company (7 days) */
        get: operations["list_bans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/security/bans/{ban_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Lift a ban of one of the company's own networks, or a hold
         * @description 403 not_own_source for a ban of another source (the provider lifts those).
         */
        delete: operations["lift_ban"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants (a tenant user sees its own) */
        get: operations["list_tenants"];
        put?: never;
        /** Create a tenant */
        post: operations["create_tenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tenant */
        get: operations["get_tenant"];
        put?: never;
        post?: never;
        /**
         * Offboard a tenant: delete its items, recordings and credentials (a job)
         * @description Without force=true the tenant must be suspended and exported since (409 otherwise). Its jobs and export archives stay (30 days).
         */
        delete: operations["delete_tenant"];
        options?: never;
        head?: never;
        /** Change a tenant (plan, status, limits, policies; a tenant admin only its own settings) */
        patch: operations["update_tenant"];
        trace?: never;
    };
    "/v1/tenants/{tenant_id}/admin-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a tenant admin token (12 h) */
        post: operations["create_admin_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenant_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export the tenant (configuration without secrets, CDRs, recordings) as one zip: a job
         * @description Poll `GET /v1/tenants/{tenant_id}/jobs/{job_id}`; a finished export has a 15-minute download link. 409 while another export or a deletion of the tenant runs.
         */
        post: operations["export_tenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenant_id}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's export, import and deletion jobs, newest first */
        get: operations["list_tenant_jobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenant_id}/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job: status, counts, download link of an export */
        get: operations["get_tenant_job"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenant_id}/numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Provider: the numbers assigned to a tenant */
        get: operations["list_tenant_numbers"];
        put?: never;
        /** Provider: assign numbers to a tenant (all or none) */
        post: operations["assign_tenant_numbers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenant_id}/numbers/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Provider: take a number back from a tenant (not while the tenant routes it) */
        delete: operations["unassign_tenant_number"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recreate a tenant from an export archive (a job)
         * @description The archive is checked first: 400 for a damaged or foreign archive (the message says what is wrong), 409 when its domain, tenant id (keep_id), numbers or e-mails are taken here. The job is the new tenant's: `GET /v1/tenants/{id}/jobs/{job_id}`.
         */
        post: operations["import_tenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/import-uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A one-hour upload URL (PUT) for an archive made elsewhere */
        post: operations["create_import_upload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ticket-views": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Saved ticket views (the caller's and the shared ones) */
        get: operations["list_ticket_views"];
        put?: never;
        /** Save a ticket view (filters under a name) */
        post: operations["create_ticket_view"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ticket-views/{view_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a saved view */
        delete: operations["delete_ticket_view"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search tickets (text, status, priority, assignee, team, contact, saved view)
         * @description Newest first. Agents see the tickets assigned to them or made by them.
         */
        get: operations["list_tickets"];
        put?: never;
        /** Open a ticket (by hand, from a call or a contact) */
        post: operations["create_ticket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets/{ticket_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One ticket (SLA state, calls, callback task) */
        get: operations["get_ticket"];
        put?: never;
        post?: never;
        /** Delete a ticket and its comments */
        delete: operations["delete_ticket"];
        options?: never;
        head?: never;
        /** Change a ticket (status, priority, assignee, team, ...) */
        patch: operations["update_ticket"];
        trace?: never;
    };
    "/v1/tickets/{ticket_id}/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Link a call (and its recording) to a ticket */
        post: operations["link_ticket_call"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets/{ticket_id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A ticket's comments, oldest first */
        get: operations["list_ticket_comments"];
        put?: never;
        /** Comment on a ticket (@e-mail notifies a colleague) */
        post: operations["create_ticket_comment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Export matching tickets as an Excel workbook: a 5-minute link */
        post: operations["export_tickets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Business hours, holidays and SLA targets of tickets */
        get: operations["get_ticket_settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change business hours, holidays or SLA targets */
        patch: operations["update_ticket_settings"];
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Tokens issued by the provider and operators that are still valid
         * @description Tenant-admin tokens and provider tokens (login sessions and edge tokens are revoked by logout, user changes and token rotation). The tokens themselves are never shown again.
         */
        get: operations["list_tokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an issued token (it stops working at once) */
        delete: operations["revoke_token"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/revoke-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke every issued token, the caller's too
         * @description For a leak: every tenant-admin and provider token stops working; issue a new provider token with `python -m infra.provider_token` (docs/deploy.md).
         */
        post: operations["revoke_all_tokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/trunks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List carrier trunks */
        get: operations["list_trunks"];
        put?: never;
        /** Add a carrier trunk (password write-only) */
        post: operations["create_trunk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/trunks/{trunk_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One trunk */
        get: operations["get_trunk"];
        put?: never;
        post?: never;
        /** Delete a trunk without numbers */
        delete: operations["delete_trunk"];
        options?: never;
        head?: never;
        /** Change a trunk */
        patch: operations["update_trunk"];
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users */
        get: operations["list_users"];
        put?: never;
        /** Add a user (login with e-mail and password) */
        post: operations["create_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user */
        get: operations["get_user"];
        put?: never;
        post?: never;
        /** Delete a user */
        delete: operations["delete_user"];
        options?: never;
        head?: never;
        /** Change a user (role, password, status, extension) */
        patch: operations["update_user"];
        trace?: never;
    };
    "/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/me/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start enrolling an authenticator app (the secret, shown once)
         * @description For a logged-in user (not an API key or an issued token). Add `otpauth_uri` to the app (a QR code), then confirm with a code: from then on a login needs `otp` too.
         */
        post: operations["start_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/me/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn the second factor on with a code from the app */
        post: operations["confirm_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/me/totp/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn the second factor off (needs a current code) */
        post: operations["disable_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhooks */
        get: operations["list_webhooks"];
        put?: never;
        /** Add a webhook (https URL, event kinds; its signing secret shown once) */
        post: operations["create_webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook */
        get: operations["get_webhook"];
        put?: never;
        post?: never;
        /** Delete a webhook (queued deliveries are cancelled) */
        delete: operations["delete_webhook"];
        options?: never;
        head?: never;
        /** Change a webhook (URL, event kinds, description, on/off) */
        patch: operations["update_webhook"];
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The webhook's delivery log, newest first (30 days) */
        get: operations["list_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a signed webhook.ping to the webhook (a test) */
        post: operations["ping_webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new signing secret (shown once; the old one stops) */
        post: operations["rotate_webhook_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * AgentFiguresOut
         * @description ``pbx_core.queue_stats.AgentFigures``: one agent over the period.
         */
        AgentFiguresOut: {
            /** Answered */
            answered: number;
            /** Extension */
            extension: string;
            /** Noanswers */
            noanswers: number;
            /** Pause S */
            pause_s: number;
            /** Personal Calls */
            personal_calls: number;
            /** Personal Talk S */
            personal_talk_s: number;
            /** State */
            state: string;
            /** Talk S */
            talk_s: number;
        };
        /** AgentList */
        AgentList: {
            /** Items */
            items: components["schemas"]["AgentOut"][];
            /** Next */
            next: string | null;
        };
        /** AgentOut */
        AgentOut: {
            /** Extension */
            extension: string;
            /** Name */
            name: string;
            /** Reason */
            reason: string;
            /** Since */
            since: number;
            /** Since Iso */
            since_iso: string | null;
            /**
             * Status
             * @enum {string}
             */
            status: "logged_out" | "ready" | "paused";
            /** User Id */
            user_id: string;
        };
        /** AgentStatusIn */
        AgentStatusIn: {
            /**
             * Reason
             * @default
             */
            reason?: string;
            /**
             * Status
             * @enum {string}
             */
            status: "logged_out" | "ready" | "paused";
        };
        /** ApiKeyCreate */
        ApiKeyCreate: {
            /**
             * Expires In Days
             * @default 90
             */
            expires_in_days?: number;
            /** Name */
            name: string;
            /**
             * Role
             * @default agent
             * @enum {string}
             */
            role?: "tenant_admin" | "supervisor" | "agent";
        };
        /** ApiKeyCreated */
        ApiKeyCreated: {
            /** Created At */
            created_at: string;
            /** Expires At */
            expires_at: string;
            /** Id */
            id: string;
            /** Key */
            key: string;
            /**
             * Last Used At
             * @default null
             */
            last_used_at?: string | null;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /**
             * Role
             * @enum {string}
             */
            role: "tenant_admin" | "supervisor" | "agent";
        };
        /** ApiKeyList */
        ApiKeyList: {
            /** Items */
            items: components["schemas"]["ApiKeyOut"][];
            /** Next */
            next: string | null;
        };
        /** ApiKeyOut */
        ApiKeyOut: {
            /** Created At */
            created_at: string;
            /** Expires At */
            expires_at: string;
            /** Id */
            id: string;
            /**
             * Last Used At
             * @default null
             */
            last_used_at?: string | null;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /**
             * Role
             * @enum {string}
             */
            role: "tenant_admin" | "supervisor" | "agent";
        };
        /** AssignedNumberList */
        AssignedNumberList: {
            /** Items */
            items: components["schemas"]["AssignedNumberOut"][];
            /** Next */
            next: string | null;
        };
        /** AssignedNumberOut */
        AssignedNumberOut: {
            /** Assigned At */
            assigned_at: string;
            /** In Use */
            in_use: boolean;
            /**
             * Kind
             * @enum {string}
             */
            kind: "fixed" | "mobile" | "tollfree" | "premium";
            /** Legacy */
            legacy: boolean;
            /** Number */
            number: string;
        };
        /** BanList */
        BanList: {
            /** Items */
            items: components["schemas"]["BanOut"][];
            /** Next */
            next: string | null;
        };
        /** BanOut */
        BanOut: {
            /** Account */
            account: string;
            /** Active */
            active: boolean;
            /** Evidence */
            evidence: string;
            /** Id */
            id: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "ban" | "hold";
            /** Liftable */
            liftable: boolean;
            /** Lifted At */
            lifted_at: number | null;
            /** Lifted By */
            lifted_by: string | null;
            /** Network */
            network: string;
            /** Reason */
            reason: string;
            /** Since */
            since: number;
            /** Source */
            source: string;
            /** Strike */
            strike: number;
            /** Text */
            text: string;
            /** Until */
            until: number;
        };
        /** BlockCreate */
        BlockCreate: {
            /**
             * Direction
             * @default both
             * @enum {string}
             */
            direction?: "in" | "out" | "both";
            /**
             * Extension
             * @default
             */
            extension?: string;
            /**
             * Note
             * @default
             */
            note?: string;
            /** Pattern */
            pattern: string;
        };
        /** BlockList */
        BlockList: {
            /** Items */
            items: components["schemas"]["BlockOut"][];
            /** Next */
            next: string | null;
        };
        /** BlockOut */
        BlockOut: {
            /** Created At */
            created_at: string;
            /**
             * Direction
             * @enum {string}
             */
            direction: "in" | "out" | "both";
            /** Extension */
            extension: string;
            /** Id */
            id: string;
            /** Note */
            note: string;
            /** Pattern */
            pattern: string;
            /** Updated At */
            updated_at: string;
        };
        /** BlockUpdate */
        BlockUpdate: {
            /**
             * Direction
             * @default null
             */
            direction?: ("in" | "out" | "both") | null;
            /**
             * Extension
             * @default null
             */
            extension?: string | null;
            /**
             * Note
             * @default null
             */
            note?: string | null;
            /**
             * Pattern
             * @default null
             */
            pattern?: string | null;
        };
        /** BranchCreate */
        BranchCreate: {
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
        };
        /** BranchList */
        BranchList: {
            /** Items */
            items: components["schemas"]["BranchOut"][];
            /** Next */
            next: string | null;
        };
        /** BranchOut */
        BranchOut: {
            /** Created At */
            created_at: string;
            /** Extension Count */
            extension_count: number;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Updated At */
            updated_at: string;
        };
        /** BranchUpdate */
        BranchUpdate: {
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /**
             * Prefix
             * @default null
             */
            prefix?: string | null;
        };
        /** CallbackOut */
        CallbackOut: {
            /** Done At */
            done_at: string | null;
            /** Done By */
            done_by: string;
            /** Due At */
            due_at: string;
            /** Number */
            number: string;
        };
        /**
         * CallEventIn
         * @description One call event (``pbx_core.events.CallEvent``): the whole call as it is after it.
         */
        CallEventIn: {
            /**
             * Answered At
             * @default null
             */
            answered_at?: string | null;
            /**
             * By
             * @description who did it (transferor, picker, holder)
             * @default
             */
            by?: string;
            /** Call Id */
            call_id: string;
            /**
             * Disposition
             * @description call.ended: as the CDR's
             * @default
             */
            disposition?: string;
            /**
             * Edge Id
             * @description the posting edge's id (filled in when empty)
             * @default
             */
            edge_id?: string;
            /**
             * Ended At
             * @description required for call.ended and recording.ready
             * @default null
             */
            ended_at?: string | null;
            /**
             * Hangup Cause
             * @default
             */
            hangup_cause?: string;
            /**
             * Id
             * @description unique per event, made by the edge
             */
            id: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "call.ringing" | "call.answered" | "call.transferred" | "call.picked_up" | "call.held" | "call.resumed" | "call.ended" | "recording.ready";
            /** Legs */
            legs: components["schemas"]["LegIn"][];
            /**
             * Occurred At
             * @description ISO 8601 UTC
             */
            occurred_at: string;
            /**
             * Recording Bytes
             * @default 0
             */
            recording_bytes?: number;
            /**
             * Recording Format
             * @default
             */
            recording_format?: string;
            /**
             * Recording Key
             * @description recording.ready
             * @default
             */
            recording_key?: string;
            /**
             * Schema
             * @default probox.call-event.v1
             * @constant
             */
            schema?: "probox.call-event.v1";
            /** Started At */
            started_at: string;
            /**
             * Target
             * @description call.transferred: where the call went
             * @default
             */
            target?: string;
            /** Tenant Id */
            tenant_id: string;
            /**
             * Transfer Kind
             * @default
             * @enum {string}
             */
            transfer_kind?: "" | "blind" | "attended";
            /**
             * Worker Id
             * @default
             */
            worker_id?: string;
        };
        /** CallLinkIn */
        CallLinkIn: {
            /** Call Id */
            call_id: string;
        };
        /** CdrBatchIn */
        CdrBatchIn: {
            /** Cdrs */
            cdrs: components["schemas"]["CdrIn"][];
        };
        /**
         * CdrBatchItemOut
         * @description One CDR of a batch: stored, a repeat, or refused (then ``code``/``message`` say why,
         *     and the edge keeps it: ``retry`` for a passing failure, else it needs a person).
         */
        CdrBatchItemOut: {
            /** Call Id */
            call_id: string;
            /**
             * Code
             * @default null
             */
            code?: string | null;
            /** Index */
            index: number;
            /**
             * Message
             * @default null
             */
            message?: string | null;
            /**
             * Retry
             * @default false
             */
            retry?: boolean;
            /**
             * Status
             * @enum {string}
             */
            status: "created" | "duplicate" | "error";
        };
        /** CdrBatchOut */
        CdrBatchOut: {
            /** Results */
            results: components["schemas"]["CdrBatchItemOut"][];
        };
        /**
         * CdrCsvReportOut
         * @description A CSV export of calls: the columns of ``GET /v1/cdrs/export``, byte for byte.
         */
        CdrCsvReportOut: {
            /** Bytes */
            bytes: number;
            /** Content Type */
            content_type: string;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Filename */
            filename: string;
            /** Id */
            id: string;
            /** Rows */
            rows: number;
            /** Time Zone */
            time_zone: string;
            /** Truncated */
            truncated: boolean;
            /** Url */
            url: string;
        };
        /**
         * CdrIn
         * @description What an edge posts: a CDR, and its recording named by the edge's upload. The recording
         *     fields of the body are ignored: the control plane derives the key and takes the size
         *     from the stored object (issue 13).
         */
        CdrIn: {
            /** Answered At */
            answered_at: string | null;
            /**
             * Billable S
             * @default 0
             */
            billable_s?: number;
            /**
             * Branch Id
             * @default
             */
            branch_id?: string;
            /** Call Id */
            call_id: string;
            /** Callee */
            callee: string;
            /** Caller */
            caller: string;
            /** Chain */
            chain?: string[];
            /**
             * Contact Id
             * @default
             */
            contact_id?: string;
            /**
             * Dialled
             * @default
             */
            dialled?: string;
            /**
             * Did
             * @default
             */
            did?: string;
            /** Direction */
            direction: string;
            /** Disposition */
            disposition: string;
            /** Duration S */
            duration_s: number;
            /** Edge Id */
            edge_id: string;
            /** Ended At */
            ended_at: string;
            /**
             * Hangup Cause
             * @default
             */
            hangup_cause?: string;
            /** Hangup Side */
            hangup_side: string;
            /** Legs */
            legs?: components["schemas"]["CdrLegOut"][];
            /** Quality */
            quality?: components["schemas"]["CdrQualityOut"][];
            /** Recording Bytes */
            recording_bytes: number;
            /** Recording Format */
            recording_format: string | null;
            /** Recording Key */
            recording_key: string | null;
            /**
             * Recording Upload
             * @default null
             */
            recording_upload?: string | null;
            /** Sip Code */
            sip_code: number;
            /**
             * Source Ip
             * @default
             */
            source_ip?: string;
            /** Started At */
            started_at: string;
            /** Tenant Id */
            tenant_id: string;
            /**
             * Trunk Id
             * @default
             */
            trunk_id?: string;
            /**
             * User Agent
             * @default
             */
            user_agent?: string;
            /** Worker Id */
            worker_id: string;
        };
        /** CdrIngestOut */
        CdrIngestOut: {
            /** Call Id */
            call_id: string;
            /**
             * Status
             * @enum {string}
             */
            status: "created" | "duplicate";
        };
        /**
         * CdrLegOut
         * @description An outside party a transfer brought into the call, through a carrier trunk (F4).
         */
        CdrLegOut: {
            /** Answered At */
            answered_at: string;
            /** Billable S */
            billable_s: number;
            /** Ended At */
            ended_at: string;
            /** Number */
            number: string;
            /** Trunk Id */
            trunk_id: string;
        };
        /** CdrLocalList */
        CdrLocalList: {
            /** Items */
            items: components["schemas"]["CdrLocalOut"][];
            /** Next */
            next: string | null;
        };
        /**
         * CdrLocalOut
         * @description A stored CDR as the API returns it: the UTC times unchanged, plus each of them in the
         *     tenant's time zone (ISO 8601 with the offset of that instant, e.g. +07:00).
         */
        CdrLocalOut: {
            /** Answered At */
            answered_at: string | null;
            /** Answered At Local */
            answered_at_local: string | null;
            /**
             * Billable S
             * @default 0
             */
            billable_s?: number;
            /**
             * Branch Id
             * @default
             */
            branch_id?: string;
            /** Call Id */
            call_id: string;
            /** Callee */
            callee: string;
            /** Caller */
            caller: string;
            /** Chain */
            chain?: string[];
            /**
             * Contact Id
             * @default
             */
            contact_id?: string;
            /**
             * Dialled
             * @default
             */
            dialled?: string;
            /**
             * Did
             * @default
             */
            did?: string;
            /** Direction */
            direction: string;
            /** Disposition */
            disposition: string;
            /** Duration S */
            duration_s: number;
            /** Edge Id */
            edge_id: string;
            /** Ended At */
            ended_at: string;
            /** Ended At Local */
            ended_at_local: string | null;
            /**
             * Hangup Cause
             * @default
             */
            hangup_cause?: string;
            /** Hangup Side */
            hangup_side: string;
            /** Legs */
            legs?: components["schemas"]["CdrLegOut"][];
            /** Quality */
            quality?: components["schemas"]["CdrQualityOut"][];
            /** Recording Bytes */
            recording_bytes: number;
            /** Recording Deleted */
            recording_deleted: ("quota" | "retention") | null;
            /** Recording Deleted At */
            recording_deleted_at: string | null;
            /** Recording Format */
            recording_format: string | null;
            /** Recording Key */
            recording_key: string | null;
            /** Sip Code */
            sip_code: number;
            /**
             * Source Ip
             * @default
             */
            source_ip?: string;
            /** Started At */
            started_at: string;
            /** Started At Local */
            started_at_local: string | null;
            /** Tenant Id */
            tenant_id: string;
            /** Time Zone */
            time_zone: string;
            /**
             * Trunk Id
             * @default
             */
            trunk_id?: string;
            /**
             * User Agent
             * @default
             */
            user_agent?: string;
            /** Worker Id */
            worker_id: string;
            /**
             * @description the agent's wrap-up of the call, if written
             * @default null
             */
            wrapup?: components["schemas"]["WrapupSummary"] | null;
        };
        /**
         * CdrQualityOut
         * @description One leg's audio quality at its hang-up, as the edge's worker measured it (B3).
         */
        CdrQualityOut: {
            /**
             * Jitter Ms
             * @description interarrival jitter
             * @default 0
             */
            jitter_ms?: number;
            /**
             * Leg
             * @description "a": the caller's side, "b": the callee's
             */
            leg: string;
            /**
             * Mos
             * @description estimated MOS (E-model); null: no packet came
             * @default null
             */
            mos?: number | null;
            /**
             * One Way Audio
             * @default false
             */
            one_way_audio?: boolean;
            /**
             * Packets Lost
             * @description cumulative, from RTCP
             * @default 0
             */
            packets_lost?: number;
            /**
             * Party
             * @description who was on that leg at the end
             * @default
             */
            party?: string;
            /**
             * Rtt Ms
             * @description RTCP round trip; null: no receiver report came
             * @default null
             */
            rtt_ms?: number | null;
        };
        /**
         * CdrReportOut
         * @description An Excel report of calls in S3 and a short-lived link to it.
         */
        CdrReportOut: {
            /** Bytes */
            bytes: number;
            /** Content Type */
            content_type: string;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Filename */
            filename: string;
            /** Id */
            id: string;
            /**
             * Lang
             * @enum {string}
             */
            lang: "en" | "vi";
            /** Rows */
            rows: number;
            /** Time Zone */
            time_zone: string;
            /** Truncated */
            truncated: boolean;
            /** Url */
            url: string;
        };
        /**
         * ClickToCallIn
         * @description Call a contact (its first number, or ``number`` among its numbers) or a number (an
         *     outside number or an extension of the tenant) from the user's own extension.
         */
        ClickToCallIn: {
            /**
             * Advertising
             * @description an advertising call: numbers on the national do-not-call list are refused too
             * @default false
             */
            advertising?: boolean;
            /**
             * Contact Id
             * @default
             */
            contact_id?: string;
            /**
             * Extension
             * @description the phone to ring first; agents: their own only (the default)
             * @default
             */
            extension?: string;
            /**
             * Number
             * @default
             */
            number?: string;
            /**
             * Request Id
             * @description the client's id of this click: a repeated request answers the same command
             * @default
             */
            request_id?: string;
        };
        /** ClickToCallOut */
        ClickToCallOut: {
            /**
             * Call Id
             * @default
             */
            call_id?: string;
            /** Contact Id */
            contact_id: string;
            /** Created At */
            created_at: string;
            /** Expires At */
            expires_at: string;
            /** Extension */
            extension: string;
            /** Id */
            id: string;
            /**
             * Reason
             * @default
             */
            reason?: string;
            /**
             * State
             * @enum {string}
             */
            state: "pending" | "claimed" | "agent_ringing" | "agent_answered" | "connected" | "failed" | "expired";
            /**
             * Target
             * @description what is called (masked for agents as contacts' numbers)
             */
            target: string;
            /**
             * Target Kind
             * @enum {string}
             */
            target_kind: "extension" | "number";
        };
        /** CommandReportIn */
        CommandReportIn: {
            /**
             * Call Id
             * @default
             */
            call_id?: string;
            /**
             * Reason
             * @default
             */
            reason?: string;
            /**
             * State
             * @enum {string}
             */
            state: "agent_ringing" | "agent_answered" | "connected" | "failed";
        };
        /** CommentCreate */
        CommentCreate: {
            /** Body */
            body: string;
            /**
             * Internal
             * @description a note for the team (not shared with the customer)
             * @default false
             */
            internal?: boolean;
            /**
             * Mentions
             * @description users to notify, besides @e-mail
             */
            mentions?: string[];
        };
        /** CommentList */
        CommentList: {
            /** Items */
            items: components["schemas"]["CommentOut"][];
            /** Next */
            next: string | null;
        };
        /** CommentOut */
        CommentOut: {
            /** Author */
            author: string;
            /** Body */
            body: string;
            /** Created At */
            created_at: string;
            /** Id */
            id: string;
            /** Internal */
            internal: boolean;
            /** Mentions */
            mentions: string[];
        };
        /** ConsentIn */
        ConsentIn: {
            /**
             * Reason
             * @default
             */
            reason?: string;
            /**
             * Status
             * @enum {string}
             */
            status: "granted" | "denied" | "unknown";
        };
        /** ConsentOut */
        ConsentOut: {
            /** At */
            at: string;
            /** Reason */
            reason: string;
            /**
             * Status
             * @enum {string}
             */
            status: "granted" | "denied" | "unknown";
        };
        /** ContactCallList */
        ContactCallList: {
            /** Items */
            items: components["schemas"]["ContactCallOut"][];
            /** Next */
            next: string | null;
        };
        /** ContactCallOut */
        ContactCallOut: {
            /** Call Id */
            call_id: string;
            /** Direction */
            direction: string;
            /** Disposition */
            disposition: string;
            /** Duration S */
            duration_s: number;
            /** Extension */
            extension: string;
            /** Number */
            number: string;
            /** Recording */
            recording: boolean;
            /** Started At */
            started_at: string;
            /**
             * @description the agent's wrap-up of the call, if written
             * @default null
             */
            wrapup?: components["schemas"]["WrapupSummary"] | null;
        };
        /** ContactCreate */
        ContactCreate: {
            /**
             * Company
             * @default
             */
            company?: string;
            /** Consent */
            consent?: {
                [key: string]: components["schemas"]["ConsentIn"];
            };
            /** Custom */
            custom?: {
                [key: string]: unknown;
            };
            /** Dnc */
            dnc?: {
                [key: string]: components["schemas"]["DncIn"];
            };
            /**
             * Email
             * @default
             */
            email?: string;
            /**
             * Name
             * @default
             */
            name?: string;
            /**
             * Notes
             * @default
             */
            notes?: string;
            /** Numbers */
            numbers?: string[];
            /**
             * Owner
             * @default
             */
            owner?: string;
            /** Segments */
            segments?: string[];
            /** Tags */
            tags?: string[];
        };
        /** ContactList */
        ContactList: {
            /** Items */
            items: components["schemas"]["ContactOut"][];
            /** Next */
            next: string | null;
        };
        /** ContactOut */
        ContactOut: {
            /**
             * Callable
             * @description may be called: not on the do-not-call list of the call channel
             */
            callable: boolean;
            /** Calls */
            calls: number;
            /** Company */
            company: string;
            /** Consent */
            consent: {
                [key: string]: components["schemas"]["ConsentOut"];
            };
            /** Created At */
            created_at: string;
            /** Custom */
            custom: {
                [key: string]: unknown;
            };
            /** Dnc */
            dnc: {
                [key: string]: components["schemas"]["DncOut"];
            };
            /** Email */
            email: string;
            /** Id */
            id: string;
            /** Last Call At */
            last_call_at: string | null;
            /** Name */
            name: string;
            /**
             * National Dnc
             * @description its numbers on the national do-not-call list (advertising calls)
             */
            national_dnc: string[];
            /** Notes */
            notes: string;
            /** Numbers */
            numbers: string[];
            /** Numbers Masked */
            numbers_masked: boolean;
            /** Owner */
            owner: string;
            /** Segments */
            segments: string[];
            /** Source */
            source: string;
            /** Tags */
            tags: string[];
            /** Updated At */
            updated_at: string;
        };
        /** ContactRouteList */
        ContactRouteList: {
            /**
             * Cursor
             * @description keep it with what you applied; empty while a full list is not complete (start over)
             */
            cursor: string;
            /**
             * Full
             * @description this page starts the tenant's whole list: drop the tenant's routes first
             */
            full: boolean;
            /**
             * Next
             * @description more of this answer: ask again with next
             */
            next: string | null;
            /**
             * Removed
             * @description numbers that route like anyone else now
             */
            removed: string[];
            /**
             * Routes
             * @description numbers whose route is (now) this one
             */
            routes: components["schemas"]["ContactRouteOut"][];
        };
        /** ContactRouteOut */
        ContactRouteOut: {
            /**
             * Number
             * @description national form, as the edge sees the caller
             */
            number: string;
            /**
             * Owner
             * @description the contact owner's user id (the snapshot's user_extensions), or empty
             */
            owner: string;
            /**
             * Vip
             * @description a VIP contact (tag vip): ahead of the others in a queue
             */
            vip: boolean;
        };
        /** ContactSettingsOut */
        ContactSettingsOut: {
            /**
             * Number Visibility
             * @description what agents see of customers' numbers
             * @enum {string}
             */
            number_visibility: "full" | "masked";
            /** Updated At */
            updated_at: string;
        };
        /** ContactSettingsUpdate */
        ContactSettingsUpdate: {
            /**
             * Number Visibility
             * @enum {string}
             */
            number_visibility: "full" | "masked";
        };
        /** ContactUpdate */
        ContactUpdate: {
            /**
             * Company
             * @default null
             */
            company?: string | null;
            /**
             * Consent
             * @default null
             */
            consent?: {
                [key: string]: components["schemas"]["ConsentIn"];
            } | null;
            /**
             * Custom
             * @default null
             */
            custom?: {
                [key: string]: unknown;
            } | null;
            /**
             * Dnc
             * @default null
             */
            dnc?: {
                [key: string]: components["schemas"]["DncIn"] | null;
            } | null;
            /**
             * Email
             * @default null
             */
            email?: string | null;
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /**
             * Notes
             * @default null
             */
            notes?: string | null;
            /**
             * Numbers
             * @default null
             */
            numbers?: string[] | null;
            /**
             * Owner
             * @default null
             */
            owner?: string | null;
            /**
             * Segments
             * @default null
             */
            segments?: string[] | null;
            /**
             * Tags
             * @default null
             */
            tags?: string[] | null;
        };
        /** DayHours */
        DayHours: {
            /** End */
            end: string;
            /** Start */
            start: string;
        };
        /** DayHoursOut */
        DayHoursOut: {
            /** End */
            end: string;
            /** Start */
            start: string;
        };
        /** DeliveryList */
        DeliveryList: {
            /** Items */
            items: components["schemas"]["DeliveryOut"][];
            /** Next */
            next: string | null;
        };
        /** DeliveryOut */
        DeliveryOut: {
            /** Attempts */
            attempts: number;
            /** Created At */
            created_at: string;
            /** Duration Ms */
            duration_ms: number | null;
            /** Event Id */
            event_id: string;
            /** Event Type */
            event_type: string;
            /** Id */
            id: string;
            /** Last Attempt At */
            last_attempt_at: string | null;
            /** Last Error */
            last_error: string | null;
            /**
             * Last Status
             * @description the receiver's HTTP status at the last attempt (null: no answer)
             */
            last_status: number | null;
            /** Next Attempt At */
            next_attempt_at: string | null;
            /** Seq */
            seq: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled";
        };
        /** DeviceCreate */
        DeviceCreate: {
            /**
             * Encrypt Config
             * @default null
             */
            encrypt_config?: boolean | null;
            /** Extension */
            extension: string;
            /**
             * Label
             * @default
             */
            label?: string;
            /** Mac */
            mac: string;
            /** Model */
            model: string;
            /**
             * Vendor
             * @enum {string}
             */
            vendor: "yealink" | "grandstream" | "fanvil";
        };
        /** DeviceKeyOut */
        DeviceKeyOut: {
            /** Config Key */
            config_key: string;
            /** Config Key Setting */
            config_key_setting: string;
        };
        /** DeviceList */
        DeviceList: {
            /** Items */
            items: components["schemas"]["DeviceOut"][];
            /** Next */
            next: string | null;
        };
        /** DeviceOut */
        DeviceOut: {
            /** Created At */
            created_at: string;
            /** Encrypt Config */
            encrypt_config: boolean;
            /** Extension */
            extension: string;
            /** Has Config Key */
            has_config_key: boolean;
            /** Has Token */
            has_token: boolean;
            /** Id */
            id: string;
            /** Label */
            label: string;
            /** Mac */
            mac: string;
            /** Model */
            model: string;
            /** Needs Reprovision */
            needs_reprovision: boolean;
            /** Provisioned At */
            provisioned_at: string | null;
            /**
             * Token Expires At
             * @default null
             */
            token_expires_at?: string | null;
            /** Updated At */
            updated_at: string;
            /**
             * Vendor
             * @enum {string}
             */
            vendor: "yealink" | "grandstream" | "fanvil";
        };
        /** DeviceTokenOut */
        DeviceTokenOut: {
            /** Absolute Url */
            absolute_url: string;
            /**
             * Config Key
             * @default null
             */
            config_key?: string | null;
            /**
             * Config Key Setting
             * @default null
             */
            config_key_setting?: string | null;
            /** Filename */
            filename: string;
            /** Url */
            url: string;
        };
        /** DeviceUpdate */
        DeviceUpdate: {
            /**
             * Encrypt Config
             * @default null
             */
            encrypt_config?: boolean | null;
            /**
             * Extension
             * @default null
             */
            extension?: string | null;
            /**
             * Label
             * @default null
             */
            label?: string | null;
            /**
             * Mac
             * @default null
             */
            mac?: string | null;
            /**
             * Model
             * @default null
             */
            model?: string | null;
        };
        /** DispositionCode */
        DispositionCode: {
            /** Code */
            code: string;
            /** Label En */
            label_en: string;
            /** Label Vi */
            label_vi: string;
        };
        /** DispositionList */
        DispositionList: {
            /** Items */
            items: components["schemas"]["DispositionOut"][];
            /**
             * Updated At
             * @description '' while the tenant uses the defaults
             */
            updated_at: string;
        };
        /** DispositionOut */
        DispositionOut: {
            /** Code */
            code: string;
            /** Label En */
            label_en: string;
            /** Label Vi */
            label_vi: string;
        };
        /** DispositionsIn */
        DispositionsIn: {
            /** Items */
            items: components["schemas"]["DispositionCode"][];
        };
        /**
         * DncIn
         * @description The contact asked not to be reached on this channel (``reason``: what was said).
         */
        DncIn: {
            /** Reason */
            reason: string;
        };
        /** DncOut */
        DncOut: {
            /** At */
            at: string;
            /** By */
            by: string;
            /** Reason */
            reason: string;
        };
        /** DncOutEntry */
        DncOutEntry: {
            /** Added At */
            added_at: string;
            /** Listed */
            listed: boolean;
            /** Number */
            number: string;
            /** Source */
            source: string;
        };
        /** DownloadOut */
        DownloadOut: {
            /** Bytes */
            bytes: number;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Sha256 */
            sha256: string;
            /** Url */
            url: string;
        };
        /** EdgeCommandList */
        EdgeCommandList: {
            /** Commands */
            commands: components["schemas"]["EdgeCommandOut"][];
        };
        /**
         * EdgeCommandOut
         * @description One command for an edge: ring ``extension`` first (auto-answer hint), then call
         *     ``target`` (an extension, or a number through ``trunk_id`` showing ``caller_id``).
         */
        EdgeCommandOut: {
            /** Caller Id */
            caller_id: string;
            /** Contact Id */
            contact_id: string;
            /** Created At */
            created_at: string;
            /**
             * Edge Id
             * @default
             */
            edge_id?: string;
            /** Expires At */
            expires_at: string;
            /** Extension */
            extension: string;
            /** Id */
            id: string;
            /**
             * Kind
             * @constant
             */
            kind: "click_to_call";
            /**
             * State
             * @enum {string}
             */
            state: "pending" | "claimed" | "agent_ringing" | "agent_answered" | "connected" | "failed" | "expired";
            /** Target */
            target: string;
            /**
             * Target Kind
             * @enum {string}
             */
            target_kind: "extension" | "number";
            /** Tenant Id */
            tenant_id: string;
            /** Trunk Id */
            trunk_id: string;
        };
        /** EdgeCreate */
        EdgeCreate: {
            /** Id */
            id: string;
            /** Tenants */
            tenants?: string[] | null;
        };
        /** EdgeCreated */
        EdgeCreated: {
            /** Created At */
            created_at: string;
            /** Credential */
            credential: string;
            /** Credential At */
            credential_at: string | null;
            /** Has Seal Key */
            has_seal_key: boolean;
            /** Id */
            id: string;
            /** Tenants */
            tenants: string[] | null;
            /** Token */
            token: string;
            /** Token Expires At */
            token_expires_at: string;
            /** Updated At */
            updated_at: string;
        };
        /**
         * EdgeCredentialOut
         * @description Shown once: the edge's credential (install it on the edge, mode 0600) and a first
         *     access token (1 hour).
         */
        EdgeCredentialOut: {
            /** Credential */
            credential: string;
            /** Token */
            token: string;
            /** Token Expires At */
            token_expires_at: string;
        };
        /** EdgeHealthIn */
        EdgeHealthIn: {
            /**
             * Calls Now
             * @description calls the edge carries now (all tenants)
             * @default null
             */
            calls_now?: number | null;
            /**
             * Last Pull At
             * @description its last successful configuration poll, UTC
             * @default null
             */
            last_pull_at?: string | null;
            /**
             * Snapshot Version
             * @description the configuration version it runs
             * @default null
             */
            snapshot_version?: number | null;
            /**
             * Version
             * @description the edge software's version
             * @default
             */
            version?: string;
        };
        /** EdgeHealthList */
        EdgeHealthList: {
            /** Items */
            items: components["schemas"]["EdgeHealthOut"][];
        };
        /**
         * EdgeHealthOut
         * @description What an edge last reported with its events (``POST /edge/v1/events``).
         */
        EdgeHealthOut: {
            /** Calls Now */
            calls_now: number | null;
            /** Edge Id */
            edge_id: string;
            /** Last Pull At */
            last_pull_at: string | null;
            /**
             * Reported At
             * @description when the control plane received the report
             */
            reported_at: string;
            /** Snapshot Version */
            snapshot_version: number | null;
            /** Version */
            version: string;
        };
        /** EdgeList */
        EdgeList: {
            /** Items */
            items: components["schemas"]["EdgeOut"][];
            /** Next */
            next: string | null;
        };
        /** EdgeOut */
        EdgeOut: {
            /** Created At */
            created_at: string;
            /** Credential At */
            credential_at: string | null;
            /** Has Seal Key */
            has_seal_key: boolean;
            /** Id */
            id: string;
            /** Tenants */
            tenants: string[] | null;
            /** Updated At */
            updated_at: string;
        };
        /** EdgeTokenOut */
        EdgeTokenOut: {
            /** Expires At */
            expires_at: string;
            /** Token */
            token: string;
        };
        /** EdgeUpdate */
        EdgeUpdate: {
            /**
             * Tenants
             * @default null
             */
            tenants?: string[] | null;
        };
        /** ErrorDetail */
        ErrorDetail: {
            /** Code */
            code: string;
            /** Fields */
            fields: {
                [key: string]: string;
            };
            /** Message */
            message: string;
        };
        /** ErrorOut */
        ErrorOut: {
            error: components["schemas"]["ErrorDetail"];
        };
        /**
         * EventBatchIn
         * @description What an edge posts: up to 100 events, and optionally its health (an empty list of
         *     events with ``edge`` is a heartbeat).
         */
        EventBatchIn: {
            /** @default null */
            edge?: components["schemas"]["EdgeHealthIn"] | null;
            /** Events */
            events: components["schemas"]["CallEventIn"][];
        };
        /** EventBatchOut */
        EventBatchOut: {
            /** Results */
            results: components["schemas"]["EventResult"][];
        };
        /** EventList */
        EventList: {
            /** Items */
            items: components["schemas"]["EventOut"][];
            /** Next */
            next: string | null;
        };
        /** EventOut */
        EventOut: {
            /** Created At */
            created_at: string;
            /** Data */
            data: {
                [key: string]: unknown;
            };
            /** Id */
            id: string;
            /** Type */
            type: string;
        };
        /** EventResult */
        EventResult: {
            /**
             * Code
             * @description why it was refused: tenant_not_served, edge_mismatch
             * @default null
             */
            code?: string | null;
            /** Id */
            id: string;
            /**
             * Seq
             * @description the tenant's number of the stored event
             */
            seq: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "created" | "duplicate" | "refused";
        };
        /** ExportLink */
        ExportLink: {
            /** Bytes */
            bytes: number;
            /** Content Type */
            content_type: string;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Filename */
            filename: string;
            /** Id */
            id: string;
            /** Rows */
            rows: number;
            /** Truncated */
            truncated: boolean;
            /** Url */
            url: string;
        };
        /** ExtensionCreate */
        ExtensionCreate: {
            /**
             * Branch Id
             * @default
             */
            branch_id?: string;
            /**
             * Caller Id
             * @default
             */
            caller_id?: string;
            /**
             * Display Name
             * @default
             */
            display_name?: string;
            /** Number */
            number: string;
            /**
             * Outbound
             * @default national
             * @enum {string}
             */
            outbound?: "internal_only" | "national";
            /**
             * Pickup Group
             * @default
             */
            pickup_group?: string;
        };
        /** ExtensionList */
        ExtensionList: {
            /** Items */
            items: components["schemas"]["ExtensionOut"][];
            /** Next */
            next: string | null;
        };
        /** ExtensionOut */
        ExtensionOut: {
            /** Branch Id */
            branch_id: string;
            /** Caller Id */
            caller_id: string;
            /** Created At */
            created_at: string;
            /** Display Name */
            display_name: string;
            /** Number */
            number: string;
            /**
             * Outbound
             * @enum {string}
             */
            outbound: "internal_only" | "national";
            /** Password Rotated At */
            password_rotated_at: string;
            /** Pickup Group */
            pickup_group: string;
            /** Updated At */
            updated_at: string;
        };
        /** ExtensionUpdate */
        ExtensionUpdate: {
            /**
             * Branch Id
             * @default null
             */
            branch_id?: string | null;
            /**
             * Caller Id
             * @default null
             */
            caller_id?: string | null;
            /**
             * Display Name
             * @default null
             */
            display_name?: string | null;
            /**
             * Outbound
             * @default null
             */
            outbound?: ("internal_only" | "national") | null;
            /**
             * Pickup Group
             * @default null
             */
            pickup_group?: string | null;
        };
        /** FieldCreate */
        FieldCreate: {
            /** Key */
            key: string;
            /** Label */
            label: string;
            /** Options */
            options?: string[];
            /**
             * Position
             * @default 0
             */
            position?: number;
            /**
             * Required
             * @default false
             */
            required?: boolean;
            /**
             * Type
             * @default text
             * @enum {string}
             */
            type?: "text" | "number" | "date" | "select" | "checkbox";
        };
        /** FieldList */
        FieldList: {
            /** Items */
            items: components["schemas"]["FieldOut"][];
            /** Next */
            next: string | null;
        };
        /** FieldOut */
        FieldOut: {
            /** Created At */
            created_at: string;
            /** Key */
            key: string;
            /** Label */
            label: string;
            /** Options */
            options: string[];
            /** Position */
            position: number;
            /** Required */
            required: boolean;
            /**
             * Type
             * @enum {string}
             */
            type: "text" | "number" | "date" | "select" | "checkbox";
            /** Updated At */
            updated_at: string;
        };
        /** FieldUpdate */
        FieldUpdate: {
            /**
             * Label
             * @default null
             */
            label?: string | null;
            /**
             * Options
             * @default null
             */
            options?: string[] | null;
            /**
             * Position
             * @default null
             */
            position?: number | null;
            /**
             * Required
             * @default null
             */
            required?: boolean | null;
        };
        /** FraudDecisionOut */
        FraudDecisionOut: {
            /**
             * Action
             * @enum {string}
             */
            action: "none" | "alert" | "throttle" | "suspend";
            /** At */
            at: number;
            /** Call Id */
            call_id: string;
            /** Reasons */
            reasons: components["schemas"]["FraudReasonOut"][];
            /** Score */
            score: number;
            /** Text */
            text: string;
            /** Text Vi */
            text_vi: string;
        };
        /** FraudReasonOut */
        FraudReasonOut: {
            /** Code */
            code: string;
            /** Points */
            points: number;
            /** Text */
            text: string;
            /** Text Vi */
            text_vi: string;
        };
        /**
         * FraudSettingsIn
         * @description What a tenant admin tunes (every field optional; 0 turns a cap off).
         */
        FraudSettingsIn: {
            /**
             * Action Score
             * @default null
             */
            action_score?: number | null;
            /**
             * Alert Score
             * @default null
             */
            alert_score?: number | null;
            /**
             * Calls Per Minute
             * @default null
             */
            calls_per_minute?: number | null;
            /**
             * Concurrent Per Extension
             * @default null
             */
            concurrent_per_extension?: number | null;
            /**
             * Concurrent Per Tenant
             * @default null
             */
            concurrent_per_tenant?: number | null;
            /**
             * Daily Minutes Per Extension
             * @default null
             */
            daily_minutes_per_extension?: number | null;
            /**
             * Daily Minutes Per Tenant
             * @default null
             */
            daily_minutes_per_tenant?: number | null;
            /**
             * Policy
             * @default null
             */
            policy?: ("alert" | "throttle" | "suspend") | null;
            /**
             * Throttle Minutes
             * @default null
             */
            throttle_minutes?: number | null;
        };
        /** FraudSettingsOut */
        FraudSettingsOut: {
            /** Action Score */
            action_score: number;
            /** Alert Score */
            alert_score: number;
            /** Calls Per Minute */
            calls_per_minute: number;
            /** Concurrent Per Extension */
            concurrent_per_extension: number;
            /** Concurrent Per Tenant */
            concurrent_per_tenant: number;
            /** Daily Minutes Per Extension */
            daily_minutes_per_extension: number;
            /** Daily Minutes Per Tenant */
            daily_minutes_per_tenant: number;
            /**
             * Policy
             * @enum {string}
             */
            policy: "alert" | "throttle" | "suspend";
            /** Throttle Minutes */
            throttle_minutes: number;
        };
        /** FraudStateList */
        FraudStateList: {
            /** Items */
            items: components["schemas"]["FraudStateOut"][];
            /** Next */
            next: string | null;
        };
        /** FraudStateOut */
        FraudStateOut: {
            /** Extension */
            extension: string;
            /** Held Until */
            held_until: number | null;
            last_decision: components["schemas"]["FraudDecisionOut"] | null;
            learned: components["schemas"]["LearnedOut"];
            /** Outside Calls Held */
            outside_calls_held: boolean;
            /** Score */
            score: number;
            /**
             * State
             * @enum {string}
             */
            state: "ok" | "alert" | "throttle" | "suspend";
            /** Today Minutes */
            today_minutes: number;
        };
        /** Health */
        Health: {
            /** Ok */
            ok: boolean;
        };
        /** ImportCreate */
        ImportCreate: {
            /**
             * Content Base64
             * @description the file itself (up to 4 MiB); without it, PUT the file to upload_url
             * @default null
             */
            content_base64?: string | null;
            /** Filename */
            filename: string;
            /**
             * Kind
             * @default contacts
             * @enum {string}
             */
            kind?: "contacts" | "dnc";
            /**
             * Source
             * @default
             */
            source?: string;
        };
        /** ImportIn */
        ImportIn: {
            /** Archive Key */
            archive_key: string;
            /**
             * Domain
             * @default null
             */
            domain?: string | null;
            /**
             * Keep Id
             * @default false
             */
            keep_id?: boolean;
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /**
             * Plan
             * @default null
             */
            plan?: string | null;
            /**
             * Status
             * @default active
             * @enum {string}
             */
            status?: "active" | "suspended";
        };
        /** ImportList */
        ImportList: {
            /** Items */
            items: components["schemas"]["ImportOut"][];
            /** Next */
            next: string | null;
        };
        /** ImportOut */
        ImportOut: {
            /**
             * Columns
             * @description column header -> field it fills
             */
            columns: {
                [key: string]: string;
            };
            /** Created */
            created: number;
            /** Created At */
            created_at: string;
            /**
             * Duplicates
             * @description rows whose number is in an earlier row or belongs to a contact
             */
            duplicates: number;
            /** Error */
            error: string | null;
            /**
             * Errors
             * @description per-row errors, at most 1,000 (errors_total counts all)
             */
            errors: components["schemas"]["RowError"][];
            /** Errors Total */
            errors_total: number;
            /** Filename */
            filename: string;
            /** Id */
            id: string;
            /** Invalid */
            invalid: number;
            /**
             * Kind
             * @enum {string}
             */
            kind: "contacts" | "dnc";
            /**
             * On Duplicate
             * @enum {string}
             */
            on_duplicate: "skip" | "update";
            /** Rows */
            rows: number;
            /**
             * Sample
             * @description the first rows as they will be imported
             */
            sample: {
                [key: string]: unknown;
            }[];
            /** Skipped */
            skipped: number;
            /**
             * Status
             * @enum {string}
             */
            status: "uploading" | "previewed" | "running" | "done" | "failed";
            /** Updated */
            updated: number;
            /** Updated At */
            updated_at: string;
            /**
             * Upload Url
             * @default null
             */
            upload_url?: string | null;
            /** Valid */
            valid: number;
        };
        /** ImportPreviewIn */
        ImportPreviewIn: {
            /**
             * Mapping
             * @description column header -> name, company, email, number, owner (e-mail), tags, segments, notes, custom.<key> or ignore; unmapped headers are recognised by name (Vietnamese or English)
             * @default null
             */
            mapping?: {
                [key: string]: string;
            } | null;
            /**
             * On Duplicate
             * @default skip
             * @enum {string}
             */
            on_duplicate?: "skip" | "update";
        };
        /** IssuedTokenList */
        IssuedTokenList: {
            /** Items */
            items: components["schemas"]["IssuedTokenOut"][];
            /** Next */
            next: string | null;
        };
        /** IssuedTokenOut */
        IssuedTokenOut: {
            /** Expires At */
            expires_at: string;
            /** Id */
            id: string;
            /** Issued At */
            issued_at: string;
            /** Issued By */
            issued_by: string;
            /** Role */
            role: string;
            /** Sub */
            sub: string;
            /** Tenant Id */
            tenant_id: string | null;
        };
        /** JobList */
        JobList: {
            /** Items */
            items: components["schemas"]["JobOut"][];
            /** Next */
            next: string | null;
        };
        /** JobOut */
        JobOut: {
            /** Created At */
            created_at: string;
            /** Created By */
            created_by: string;
            download: components["schemas"]["DownloadOut"] | null;
            /** Error */
            error: string | null;
            /** Finished At */
            finished_at: string | null;
            /** Id */
            id: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "export" | "import" | "delete";
            /** Result */
            result: {
                [key: string]: unknown;
            };
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "running" | "done" | "failed";
            /** Tenant Id */
            tenant_id: string;
            /** Updated At */
            updated_at: string;
        };
        /**
         * LearnedOut
         * @description What the guard learned of the extension's outside calling (decayed: recent weeks weigh most).
         */
        LearnedOut: {
            /** Average Daily Minutes */
            average_daily_minutes: number;
            /** Average Talk S */
            average_talk_s: number;
            /** Calls */
            calls: number;
            /** Destinations */
            destinations: {
                [key: string]: number;
            };
            /** Networks */
            networks: string[];
            /** Ready */
            ready: boolean;
            /** User Agents */
            user_agents: string[];
            /** Usual Hours */
            usual_hours: string;
            /** Weeks */
            weeks: number;
        };
        /** LegIn */
        LegIn: {
            /**
             * Direction
             * @default internal
             * @enum {string}
             */
            direction?: "internal" | "inbound" | "outbound";
            /** From */
            from: string;
            /** Id */
            id: string;
            /** @default null */
            quality?: components["schemas"]["QualityIn"] | null;
            /** To */
            to: string;
            /**
             * Trunk Id
             * @default
             */
            trunk_id?: string;
        };
        /** LegOut */
        LegOut: {
            /** Direction */
            direction: string;
            /** From */
            from: string;
            /** Id */
            id: string;
            quality: components["schemas"]["QualityOut"] | null;
            /** To */
            to: string;
            /** Trunk Id */
            trunk_id: string;
        };
        /**
         * LiveCallOut
         * @description A call now: who talks to whom, since when, through which trunk, on which edge.
         */
        LiveCallOut: {
            /** Answered At */
            answered_at: string | null;
            /** By */
            by: string;
            /** Call Id */
            call_id: string;
            /** Edge Id */
            edge_id: string;
            /**
             * Last Event
             * @enum {string}
             */
            last_event: "call.ringing" | "call.answered" | "call.transferred" | "call.picked_up" | "call.held" | "call.resumed" | "call.ended" | "recording.ready";
            /** Legs */
            legs: components["schemas"]["LegOut"][];
            /** One Way Audio */
            one_way_audio: boolean;
            /**
             * Seq
             * @description number of the event this state comes from
             */
            seq: number;
            /** Started At */
            started_at: string;
            /**
             * State
             * @enum {string}
             */
            state: "ringing" | "talking" | "held";
            /** Target */
            target: string;
            /**
             * Updated At
             * @description when its newest event happened
             */
            updated_at: string;
        };
        /**
         * LiveCallsOut
         * @description The live view's starting point: the calls now, and the number of the newest event
         *     they include (a browser then applies the WebSocket's events numbered above it).
         */
        LiveCallsOut: {
            /** At */
            at: string;
            /** Calls */
            calls: components["schemas"]["LiveCallOut"][];
            /** Seq */
            seq: number;
        };
        /**
         * LiveTicketOut
         * @description A one-time ticket (60 s) to open the live WebSocket: ``<url>?ticket=<ticket>``.
         */
        LiveTicketOut: {
            /** Expires At */
            expires_at: string;
            /** Ticket */
            ticket: string;
            /**
             * Url
             * @description the WebSocket's address: a path of this origin (wss) or an absolute wss:// URL
             */
            url: string;
        };
        /** LoginIn */
        LoginIn: {
            /** Email */
            email: string;
            /**
             * Otp
             * @default null
             */
            otp?: string | null;
            /** Password */
            password: string;
        };
        /** LoginOut */
        LoginOut: {
            /** Expires At */
            expires_at: string;
            /** Token */
            token: string;
            user: components["schemas"]["UserOut"];
        };
        /** MeOut */
        MeOut: {
            /** Role */
            role: string;
            /** Sub */
            sub: string;
            /** Tenant Id */
            tenant_id: string | null;
            user: components["schemas"]["UserOut"] | null;
        };
        /**
         * NumberAssign
         * @description Provider: numbers to give a tenant (all or none; ones it has already are kept).
         */
        NumberAssign: {
            /** Numbers */
            numbers: string[];
        };
        /** NumberCreate */
        NumberCreate: {
            /**
             * Label
             * @default
             */
            label?: string;
            /** Number */
            number: string;
            /**
             * Route To
             * @default
             */
            route_to?: string;
            /** Trunk Id */
            trunk_id: string;
        };
        /** NumberList */
        NumberList: {
            /** Items */
            items: components["schemas"]["NumberOut"][];
            /** Next */
            next: string | null;
        };
        /** NumberOut */
        NumberOut: {
            /** Created At */
            created_at: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "fixed" | "mobile" | "tollfree" | "premium";
            /** Label */
            label: string;
            /** Number */
            number: string;
            /** Route To */
            route_to: string;
            /** Trunk Id */
            trunk_id: string;
            /** Updated At */
            updated_at: string;
        };
        /** NumberUpdate */
        NumberUpdate: {
            /**
             * Label
             * @default null
             */
            label?: string | null;
            /**
             * Route To
             * @default null
             */
            route_to?: string | null;
            /**
             * Trunk Id
             * @default null
             */
            trunk_id?: string | null;
        };
        /** OutboundPolicyIn */
        OutboundPolicyIn: {
            /**
             * International
             * @default null
             */
            international?: boolean | null;
            /**
             * Premium 1900
             * @default null
             */
            premium_1900?: boolean | null;
        };
        /** OutboundPolicyOut */
        OutboundPolicyOut: {
            /** International */
            international: boolean;
            /** Premium 1900 */
            premium_1900: boolean;
        };
        /** PauseReasonsIn */
        PauseReasonsIn: {
            /** Reasons */
            reasons: string[];
        };
        /** PauseReasonsOut */
        PauseReasonsOut: {
            /** Reasons */
            reasons: string[];
        };
        /** PingOut */
        PingOut: {
            /** Delivery Id */
            delivery_id: string;
            /** Event Id */
            event_id: string;
        };
        /** PlanCreate */
        PlanCreate: {
            /**
             * Description
             * @default
             */
            description?: string;
            /** Features */
            features?: string[];
            /** Max Concurrent Calls */
            max_concurrent_calls: number;
            /** Max Extensions */
            max_extensions: number;
            /** Name */
            name: string;
            /** Recording Quota Bytes */
            recording_quota_bytes: number;
        };
        /** PlanList */
        PlanList: {
            /** Items */
            items: components["schemas"]["PlanOut"][];
            /** Next */
            next: string | null;
        };
        /** PlanOut */
        PlanOut: {
            /** Created At */
            created_at: string;
            /** Description */
            description: string;
            /** Features */
            features: string[];
            /** Max Concurrent Calls */
            max_concurrent_calls: number;
            /** Max Extensions */
            max_extensions: number;
            /** Name */
            name: string;
            /** Recording Quota Bytes */
            recording_quota_bytes: number;
            /** Tenant Count */
            tenant_count: number;
            /** Updated At */
            updated_at: string;
        };
        /** PlanUpdate */
        PlanUpdate: {
            /**
             * Description
             * @default null
             */
            description?: string | null;
            /**
             * Features
             * @default null
             */
            features?: string[] | null;
            /**
             * Max Concurrent Calls
             * @default null
             */
            max_concurrent_calls?: number | null;
            /**
             * Max Extensions
             * @default null
             */
            max_extensions?: number | null;
            /**
             * Recording Quota Bytes
             * @default null
             */
            recording_quota_bytes?: number | null;
        };
        /** PromptLink */
        PromptLink: {
            /** Sha256 */
            sha256: string;
            /** Url */
            url: string;
        };
        /** PromptOut */
        PromptOut: {
            /** Bytes */
            bytes: number;
            /**
             * Language
             * @enum {string}
             */
            language: "vi" | "en";
            /**
             * Name
             * @enum {string}
             */
            name: "welcome" | "callback" | "callback_ok" | "closed" | "leave_message";
            /** Seconds */
            seconds: number;
            /** Sha256 */
            sha256: string;
            /** Uploaded At */
            uploaded_at: string;
        };
        /**
         * PromptUpload
         * @description A tenant's own recording of one of the queue's prompts, in one language: a WAV file
         *     (PCM, 8 or 16 bit, mono or stereo, 8 kHz or more, at most three minutes).
         */
        PromptUpload: {
            /** Content Base64 */
            content_base64: string;
            /**
             * Language
             * @enum {string}
             */
            language: "vi" | "en";
        };
        /** ProvisioningLinkOut */
        ProvisioningLinkOut: {
            /** Absolute Url */
            absolute_url: string;
            /** Expires At */
            expires_at: string;
            /** Qr Payload */
            qr_payload: string;
            /** Token */
            token: string;
            /** Url */
            url: string;
        };
        /** ProvisioningOut */
        ProvisioningOut: {
            /** Sip Domain */
            sip_domain: string;
            /** Sip Password */
            sip_password: string;
            /** Sip Proxy */
            sip_proxy: string | null;
            /** Sip User */
            sip_user: string;
        };
        /**
         * ProvisioningPeekOut
         * @description What opening a one-time link shows (a browser, a chat app's preview): how to redeem
         *     it, and whether it still can be; never the credentials, and it stays unused.
         */
        ProvisioningPeekOut: {
            /**
             * Redeem With
             * @constant
             */
            redeem_with: "POST";
            /** Valid */
            valid: boolean;
        };
        /**
         * QualityIn
         * @description One leg's audio quality as the worker measured it (RTP/RTCP), B3.
         */
        QualityIn: {
            /**
             * Jitter Ms
             * @default 0
             */
            jitter_ms?: number;
            /**
             * Mos
             * @default null
             */
            mos?: number | null;
            /**
             * One Way Audio
             * @default false
             */
            one_way_audio?: boolean;
            /**
             * Packets Lost
             * @default 0
             */
            packets_lost?: number;
            /**
             * Rtt Ms
             * @default null
             */
            rtt_ms?: number | null;
        };
        /** QualityOut */
        QualityOut: {
            /** Jitter Ms */
            jitter_ms: number;
            /** Mos */
            mos: number | null;
            /** One Way Audio */
            one_way_audio: boolean;
            /** Packets Lost */
            packets_lost: number;
            /** Rtt Ms */
            rtt_ms: number | null;
        };
        /** QueueCreate */
        QueueCreate: {
            /**
             * Announce Every S
             * @default null
             */
            announce_every_s?: number | null;
            /**
             * Autopause After
             * @default null
             */
            autopause_after?: number | null;
            /**
             * Callback
             * @default null
             */
            callback?: boolean | null;
            /**
             * Join Empty
             * @default null
             */
            join_empty?: boolean | null;
            /**
             * Language
             * @default null
             */
            language?: ("vi" | "en") | null;
            /**
             * Leave When Empty
             * @default null
             */
            leave_when_empty?: boolean | null;
            /**
             * Max Len
             * @default null
             */
            max_len?: number | null;
            /**
             * Max Wait S
             * @default null
             */
            max_wait_s?: number | null;
            /** Members */
            members?: components["schemas"]["QueueMemberIn"][];
            /** Name */
            name: string;
            /** Number */
            number: string;
            /**
             * Overflow
             * @default null
             */
            overflow?: string | null;
            /**
             * Rejoin S
             * @default null
             */
            rejoin_s?: number | null;
            /**
             * Retry S
             * @default null
             */
            retry_s?: number | null;
            /**
             * Ring Timeout S
             * @default null
             */
            ring_timeout_s?: number | null;
            /**
             * Service Level S
             * @default null
             */
            service_level_s?: number | null;
            /**
             * Strategy
             * @default null
             */
            strategy?: ("ringall" | "longest_idle" | "fewest_calls" | "round_robin" | "linear" | "random") | null;
            /**
             * Widen After S
             * @default null
             */
            widen_after_s?: number | null;
            /**
             * Wrapup S
             * @default null
             */
            wrapup_s?: number | null;
        };
        /** QueueEventBatchIn */
        QueueEventBatchIn: {
            /** Events */
            events: components["schemas"]["QueueEventIn"][];
        };
        /** QueueEventBatchOut */
        QueueEventBatchOut: {
            /** Results */
            results: components["schemas"]["QueueEventResult"][];
        };
        /**
         * QueueEventIn
         * @description One event as the edge posts it (validated by ``pbx_core.queue_log.from_dict``).
         */
        QueueEventIn: {
            /**
             * Agent
             * @default
             */
            agent?: string;
            /** At */
            at: number;
            /**
             * Call Id
             * @default
             */
            call_id?: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "enter" | "offer" | "noanswer" | "answer" | "abandon" | "timeout" | "full" | "overflow" | "callback_request" | "callback_dial" | "rejoin" | "transfer" | "complete" | "login" | "logout" | "pause" | "unpause" | "wrapup_end";
            /**
             * Personal
             * @default false
             */
            personal?: boolean;
            /**
             * Position
             * @default 0
             */
            position?: number;
            /**
             * Queue Id
             * @default
             */
            queue_id?: string;
            /**
             * Reason
             * @default
             */
            reason?: string;
            /**
             * Talk S
             * @default 0
             */
            talk_s?: number;
            /** Tenant Id */
            tenant_id: string;
            /**
             * Wait S
             * @default 0
             */
            wait_s?: number;
        };
        /** QueueEventList */
        QueueEventList: {
            /** Items */
            items: components["schemas"]["QueueEventOut"][];
            /** Next */
            next: string | null;
        };
        /** QueueEventOut */
        QueueEventOut: {
            /** Agent */
            agent: string;
            /** At */
            at: number;
            /** At Iso */
            at_iso: string;
            /** Call Id */
            call_id: string;
            /** Kind */
            kind: string;
            /** Personal */
            personal: boolean;
            /** Position */
            position: number;
            /** Queue Id */
            queue_id: string;
            /** Reason */
            reason: string;
            /** Talk S */
            talk_s: number;
            /** Tenant Id */
            tenant_id: string;
            /** Wait S */
            wait_s: number;
        };
        /**
         * QueueEventResult
         * @description One event of a batch: stored, a repeat (same tenant, queue, call, kind, time and agent),
         *     or refused (``code``/``message``; ``retry`` when a later attempt may succeed).
         */
        QueueEventResult: {
            /**
             * Code
             * @default null
             */
            code?: string | null;
            /** Index */
            index: number;
            /** Key */
            key: string;
            /**
             * Message
             * @default null
             */
            message?: string | null;
            /**
             * Retry
             * @default false
             */
            retry?: boolean;
            /**
             * Status
             * @enum {string}
             */
            status: "created" | "duplicate" | "error";
        };
        /**
         * QueueFiguresOut
         * @description ``pbx_core.queue_stats.QueueFigures``: one queue over the period (rates 0-1, None when
         *     there is nothing to divide by).
         */
        QueueFiguresOut: {
            /** Abandon Rate */
            abandon_rate: number | null;
            /** Abandoned */
            abandoned: number;
            /** Abandoned After Sl */
            abandoned_after_sl: number;
            /** Answered */
            answered: number;
            /** Answered In Sl */
            answered_in_sl: number;
            /** Asa S */
            asa_s: number | null;
            /** Avg Talk S */
            avg_talk_s: number | null;
            /** Callbacks Pending */
            callbacks_pending: number;
            /** Callbacks Requested */
            callbacks_requested: number;
            /** Entered */
            entered: number;
            /** Longest Wait S */
            longest_wait_s: number;
            /** Name */
            name: string;
            /** Number */
            number: string;
            /** Overflowed */
            overflowed: number;
            /** Queue Id */
            queue_id: string;
            /** Refused */
            refused: number;
            /** Service Level */
            service_level: number | null;
            /** Service Level Abandons */
            service_level_abandons: number | null;
            /** Short Abandons */
            short_abandons: number;
            /** Timeouts */
            timeouts: number;
            /** Waiting */
            waiting: number;
        };
        /** QueueList */
        QueueList: {
            /** Items */
            items: components["schemas"]["QueueOut"][];
            /** Next */
            next: string | null;
        };
        /** QueueMemberIn */
        QueueMemberIn: {
            /** Extension */
            extension: string;
            /**
             * Penalty
             * @default 0
             */
            penalty?: number;
        };
        /** QueueMemberOut */
        QueueMemberOut: {
            /** Extension */
            extension: string;
            /** Penalty */
            penalty: number;
        };
        /** QueueOut */
        QueueOut: {
            /** Announce Every S */
            announce_every_s: number;
            /** Autopause After */
            autopause_after: number;
            /** Callback */
            callback: boolean;
            /** Created At */
            created_at: string;
            /** Id */
            id: string;
            /** Join Empty */
            join_empty: boolean;
            /**
             * Language
             * @enum {string}
             */
            language: "vi" | "en";
            /** Leave When Empty */
            leave_when_empty: boolean;
            /** Max Len */
            max_len: number;
            /** Max Wait S */
            max_wait_s: number;
            /** Members */
            members: components["schemas"]["QueueMemberOut"][];
            /** Name */
            name: string;
            /** Number */
            number: string;
            /** Overflow */
            overflow: string;
            /**
             * Prompts
             * @description the tenant's own recordings; the product's voice speaks the others
             */
            prompts?: components["schemas"]["PromptOut"][];
            /** References */
            references: number;
            /** Rejoin S */
            rejoin_s: number;
            /** Retry S */
            retry_s: number;
            /** Ring Timeout S */
            ring_timeout_s: number;
            /** Service Level S */
            service_level_s: number;
            /**
             * Strategy
             * @enum {string}
             */
            strategy: "ringall" | "longest_idle" | "fewest_calls" | "round_robin" | "linear" | "random";
            /** Updated At */
            updated_at: string;
            /** Widen After S */
            widen_after_s: number;
            /** Wrapup S */
            wrapup_s: number;
        };
        /**
         * QueueReportOut
         * @description A queue and agent report (Excel) in S3 (``tenants/<id>/reports/queues/``) and a
         *     short-lived link to it.
         */
        QueueReportOut: {
            /** Bytes */
            bytes: number;
            /** Content Type */
            content_type: string;
            /** Events */
            events: number;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Filename */
            filename: string;
            /** Id */
            id: string;
            /**
             * Interval
             * @enum {string}
             */
            interval: "15m" | "30m" | "1h" | "1d";
            /**
             * Lang
             * @enum {string}
             */
            lang: "en" | "vi";
            /** Period End */
            period_end: string;
            /** Period Start */
            period_start: string;
            /** Queue Id */
            queue_id: string | null;
            /** Time Zone */
            time_zone: string;
            /** Url */
            url: string;
        };
        /** QueueStatsOut */
        QueueStatsOut: {
            /** Agents */
            agents: components["schemas"]["AgentFiguresOut"][];
            /** At */
            at: number;
            /** End */
            end: string;
            /** Events */
            events: number;
            /** Queues */
            queues: components["schemas"]["QueueFiguresOut"][];
            /** Start */
            start: string;
            /** Truncated */
            truncated: boolean;
        };
        /** QueueUpdate */
        QueueUpdate: {
            /**
             * Announce Every S
             * @default null
             */
            announce_every_s?: number | null;
            /**
             * Autopause After
             * @default null
             */
            autopause_after?: number | null;
            /**
             * Callback
             * @default null
             */
            callback?: boolean | null;
            /**
             * Join Empty
             * @default null
             */
            join_empty?: boolean | null;
            /**
             * Language
             * @default null
             */
            language?: ("vi" | "en") | null;
            /**
             * Leave When Empty
             * @default null
             */
            leave_when_empty?: boolean | null;
            /**
             * Max Len
             * @default null
             */
            max_len?: number | null;
            /**
             * Max Wait S
             * @default null
             */
            max_wait_s?: number | null;
            /**
             * Members
             * @default null
             */
            members?: components["schemas"]["QueueMemberIn"][] | null;
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /**
             * Number
             * @default null
             */
            number?: string | null;
            /**
             * Overflow
             * @default null
             */
            overflow?: string | null;
            /**
             * Rejoin S
             * @default null
             */
            rejoin_s?: number | null;
            /**
             * Retry S
             * @default null
             */
            retry_s?: number | null;
            /**
             * Ring Timeout S
             * @default null
             */
            ring_timeout_s?: number | null;
            /**
             * Service Level S
             * @default null
             */
            service_level_s?: number | null;
            /**
             * Strategy
             * @default null
             */
            strategy?: ("ringall" | "longest_idle" | "fewest_calls" | "round_robin" | "linear" | "random") | null;
            /**
             * Widen After S
             * @default null
             */
            widen_after_s?: number | null;
            /**
             * Wrapup S
             * @default null
             */
            wrapup_s?: number | null;
        };
        /** RecordingLinkOut */
        RecordingLinkOut: {
            /** Bytes */
            bytes: number;
            /** Call Id */
            call_id: string;
            /** Content Type */
            content_type: string;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Format */
            format: string;
            /** Url */
            url: string;
        };
        /** RecordingPolicyIn */
        RecordingPolicyIn: {
            /**
             * Enabled
             * @default null
             */
            enabled?: boolean | null;
            /**
             * On Full
             * @default null
             */
            on_full?: ("delete_oldest" | "stop_recording") | null;
            /**
             * Retention Days
             * @default null
             */
            retention_days?: number | null;
        };
        /** RecordingPolicyOut */
        RecordingPolicyOut: {
            /** Enabled */
            enabled: boolean;
            /**
             * Level
             * @enum {string}
             */
            level: "ok" | "warn80" | "warn90" | "full";
            /**
             * On Full
             * @enum {string}
             */
            on_full: "delete_oldest" | "stop_recording";
            /** Quota Bytes */
            quota_bytes: number;
            /** Recording Active */
            recording_active: boolean;
            /** Retention Days */
            retention_days: number;
            /** Usage Bytes */
            usage_bytes: number;
            /** Usage Pct */
            usage_pct: number;
        };
        /** RecordingUsage */
        RecordingUsage: {
            /**
             * Level
             * @enum {string}
             */
            level: "ok" | "warn80" | "warn90" | "full";
            /**
             * On Full
             * @enum {string}
             */
            on_full: "delete_oldest" | "stop_recording";
            /** Quota Bytes */
            quota_bytes: number;
            /** Recording Active */
            recording_active: boolean;
            /** Retention Days */
            retention_days: number;
            /** Usage Bytes */
            usage_bytes: number;
            /** Usage Pct */
            usage_pct: number;
        };
        /** RevokedOut */
        RevokedOut: {
            /** Revoked */
            revoked: number;
        };
        /** RotationOut */
        RotationOut: {
            /** Devices Marked */
            devices_marked: number;
            /** Rotated */
            rotated: number;
        };
        /** RowError */
        RowError: {
            /** Field */
            field: string;
            /** Message */
            message: string;
            /**
             * Row
             * @description the row's number in the file (the header is row 1)
             */
            row: number;
        };
        /** SealKeyIn */
        SealKeyIn: {
            /** Public Key */
            public_key: string;
        };
        /** SecurityBatchIn */
        SecurityBatchIn: {
            /** Events */
            events: components["schemas"]["SecurityEventIn"][];
        };
        /** SecurityBatchOut */
        SecurityBatchOut: {
            /** Results */
            results: components["schemas"]["SecurityResult"][];
        };
        /**
         * SecurityEventIn
         * @description One event as the edge's KEMI script spools it (kemi_scripts/firewall.py).
         */
        SecurityEventIn: {
            /**
             * Account
             * @default
             */
            account?: string;
            /** At */
            at: number;
            /**
             * Call Id
             * @default
             */
            call_id?: string;
            /**
             * Evidence
             * @default
             */
            evidence?: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "ban" | "hold" | "abroad";
            /**
             * Learned
             * @default false
             */
            learned?: boolean;
            /**
             * Method
             * @default
             */
            method?: string;
            /**
             * Network
             * @default
             */
            network?: string;
            /**
             * Reason
             * @default
             */
            reason?: string;
            /** Source */
            source: string;
            /**
             * Strike
             * @default 1
             */
            strike?: number;
            /**
             * Subject
             * @default
             */
            subject?: string;
            /**
             * Tenant Id
             * @default
             */
            tenant_id?: string;
            /**
             * Text
             * @default
             */
            text?: string;
            /**
             * Until
             * @default 0
             */
            until?: number;
        };
        /** SecurityResult */
        SecurityResult: {
            /**
             * Code
             * @default
             */
            code?: string;
            /**
             * Status
             * @enum {string}
             */
            status: "stored" | "provider_only" | "error";
        };
        /** SlaOut */
        SlaOut: {
            first_response: components["schemas"]["TimerOut"];
            /**
             * Paused
             * @description the clock is stopped now: outside business hours, a holiday, or pending
             */
            paused: boolean;
            /**
             * Paused Reason
             * @enum {string}
             */
            paused_reason: "" | "outside_hours" | "holiday" | "pending";
            resolution: components["schemas"]["TimerOut"];
        };
        /** SlaTarget */
        SlaTarget: {
            /** First Response Min */
            first_response_min: number;
            /** Resolution Min */
            resolution_min: number;
        };
        /** SlaTargetOut */
        SlaTargetOut: {
            /** First Response Min */
            first_response_min: number;
            /** Resolution Min */
            resolution_min: number;
        };
        /** TenantCreate */
        TenantCreate: {
            /**
             * Allow Private Trunk Hosts
             * @default false
             */
            allow_private_trunk_hosts?: boolean;
            /** Domain */
            domain: string;
            /**
             * Max Concurrent Calls
             * @default null
             */
            max_concurrent_calls?: number | null;
            /** Name */
            name: string;
            /** @default null */
            outbound_policy?: components["schemas"]["OutboundPolicyIn"] | null;
            /**
             * Password Rotation Months
             * @default 12
             */
            password_rotation_months?: number;
            /**
             * Plan
             * @default PBX-10
             */
            plan?: string;
            /** @default null */
            recording?: components["schemas"]["RecordingPolicyIn"] | null;
            /**
             * Time Zone
             * @default Asia/Ho_Chi_Minh
             */
            time_zone?: string;
        };
        /** TenantList */
        TenantList: {
            /** Items */
            items: components["schemas"]["TenantOut"][];
            /** Next */
            next: string | null;
        };
        /** TenantOut */
        TenantOut: {
            /** Allow Private Trunk Hosts */
            allow_private_trunk_hosts: boolean;
            /** Created At */
            created_at: string;
            /** Default Caller Id */
            default_caller_id: string;
            /** Domain */
            domain: string;
            /** Extension Count */
            extension_count: number;
            /** Id */
            id: string;
            /** Max Concurrent Calls */
            max_concurrent_calls: number;
            /** Max Extensions */
            max_extensions: number;
            /** Name */
            name: string;
            outbound_policy: components["schemas"]["OutboundPolicyOut"];
            /** Password Rotation Months */
            password_rotation_months: number;
            /** Plan */
            plan: string;
            recording: components["schemas"]["RecordingPolicyOut"];
            /**
             * Status
             * @enum {string}
             */
            status: "active" | "suspended";
            /** Time Zone */
            time_zone: string;
            /** Updated At */
            updated_at: string;
        };
        /** TenantUpdate */
        TenantUpdate: {
            /**
             * Allow Private Trunk Hosts
             * @default null
             */
            allow_private_trunk_hosts?: boolean | null;
            /**
             * Default Caller Id
             * @default null
             */
            default_caller_id?: string | null;
            /**
             * Max Concurrent Calls
             * @default null
             */
            max_concurrent_calls?: number | null;
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /** @default null */
            outbound_policy?: components["schemas"]["OutboundPolicyIn"] | null;
            /**
             * Password Rotation Months
             * @default null
             */
            password_rotation_months?: number | null;
            /**
             * Plan
             * @default null
             */
            plan?: string | null;
            /** @default null */
            recording?: components["schemas"]["RecordingPolicyIn"] | null;
            /**
             * Status
             * @default null
             */
            status?: ("active" | "suspended") | null;
            /**
             * Time Zone
             * @default null
             */
            time_zone?: string | null;
        };
        /** TicketCallOut */
        TicketCallOut: {
            /** Call Id */
            call_id: string;
            /** Direction */
            direction: string;
            /** Disposition */
            disposition: string;
            /** Duration S */
            duration_s: number;
            /** Recording */
            recording: boolean;
            /** Started At */
            started_at: string;
        };
        /** TicketCreate */
        TicketCreate: {
            /**
             * Assignee
             * @default
             */
            assignee?: string;
            /**
             * Call Id
             * @description the call it is made from (linked)
             * @default null
             */
            call_id?: string | null;
            /**
             * Contact Id
             * @default
             */
            contact_id?: string;
            /**
             * Description
             * @default
             */
            description?: string;
            /**
             * Priority
             * @default normal
             * @enum {string}
             */
            priority?: "low" | "normal" | "high" | "urgent";
            /**
             * Status
             * @default new
             * @enum {string}
             */
            status?: "new" | "open" | "pending" | "solved" | "closed";
            /** Subject */
            subject: string;
            /** Tags */
            tags?: string[];
            /**
             * Team
             * @default
             */
            team?: string;
        };
        /** TicketExportLink */
        TicketExportLink: {
            /** Bytes */
            bytes: number;
            /** Content Type */
            content_type: string;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /** Filename */
            filename: string;
            /** Id */
            id: string;
            /** Rows */
            rows: number;
            /** Truncated */
            truncated: boolean;
            /** Url */
            url: string;
        };
        /** TicketList */
        TicketList: {
            /** Items */
            items: components["schemas"]["TicketOut"][];
            /** Next */
            next: string | null;
        };
        /** TicketOut */
        TicketOut: {
            /** Assignee */
            assignee: string;
            callback: components["schemas"]["CallbackOut"] | null;
            /** Calls */
            calls: components["schemas"]["TicketCallOut"][];
            /** Contact Id */
            contact_id: string;
            /** Created At */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Description */
            description: string;
            /** First Response At */
            first_response_at: string | null;
            /** Id */
            id: string;
            /** Number */
            number: number;
            /**
             * Priority
             * @enum {string}
             */
            priority: "low" | "normal" | "high" | "urgent";
            sla: components["schemas"]["SlaOut"];
            /** Solved At */
            solved_at: string | null;
            /**
             * Source
             * @enum {string}
             */
            source: "manual" | "call" | "contact" | "missed_call";
            /**
             * Status
             * @enum {string}
             */
            status: "new" | "open" | "pending" | "solved" | "closed";
            /** Subject */
            subject: string;
            /** Tags */
            tags: string[];
            /** Team */
            team: string;
            /** Updated At */
            updated_at: string;
        };
        /** TicketSettingsOut */
        TicketSettingsOut: {
            /** Business Hours */
            business_hours: {
                [key: string]: components["schemas"]["DayHoursOut"] | null;
            };
            /** Days Off */
            days_off: string[];
            /**
             * Holidays
             * @description the public holidays of this year and the next (closed days)
             */
            holidays: string[];
            /** Public Holidays */
            public_holidays: boolean;
            /** Sla */
            sla: {
                [key: string]: components["schemas"]["SlaTargetOut"];
            };
            /** Time Zone */
            time_zone: string;
            /** Updated At */
            updated_at: string;
        };
        /** TicketSettingsUpdate */
        TicketSettingsUpdate: {
            /**
             * Business Hours
             * @default null
             */
            business_hours?: {
                [key: string]: components["schemas"]["DayHours"] | null;
            } | null;
            /**
             * Days Off
             * @default null
             */
            days_off?: string[] | null;
            /**
             * Public Holidays
             * @description closed on Vietnam's public holidays
             * @default null
             */
            public_holidays?: boolean | null;
            /**
             * Sla
             * @default null
             */
            sla?: {
                [key: string]: components["schemas"]["SlaTarget"];
            } | null;
        };
        /** TicketUpdate */
        TicketUpdate: {
            /**
             * Assignee
             * @default null
             */
            assignee?: string | null;
            /**
             * Callback Done
             * @description the callback task is done (true) or not
             * @default null
             */
            callback_done?: boolean | null;
            /**
             * Contact Id
             * @default null
             */
            contact_id?: string | null;
            /**
             * Description
             * @default null
             */
            description?: string | null;
            /**
             * Priority
             * @default null
             */
            priority?: ("low" | "normal" | "high" | "urgent") | null;
            /**
             * Status
             * @default null
             */
            status?: ("new" | "open" | "pending" | "solved" | "closed") | null;
            /**
             * Subject
             * @default null
             */
            subject?: string | null;
            /**
             * Tags
             * @default null
             */
            tags?: string[] | null;
            /**
             * Team
             * @default null
             */
            team?: string | null;
        };
        /** TimerOut */
        TimerOut: {
            /** Breached */
            breached: boolean;
            /** Due At */
            due_at: string | null;
            /** Met At */
            met_at: string | null;
            /**
             * Remaining Min
             * @description business minutes left (negative: late); null once met
             */
            remaining_min: number | null;
        };
        /** TokenOut */
        TokenOut: {
            /**
             * Expires At
             * @default null
             */
            expires_at?: string | null;
            /** Token */
            token: string;
        };
        /** TotpCodeIn */
        TotpCodeIn: {
            /** Code */
            code: string;
        };
        /**
         * TotpStartOut
         * @description A new TOTP secret for the caller (shown once): add it to an authenticator app
         *     (``otpauth_uri`` as a QR code), then confirm with a code.
         */
        TotpStartOut: {
            /** Otpauth Uri */
            otpauth_uri: string;
            /** Secret */
            secret: string;
        };
        /** TrunkCreate */
        TrunkCreate: {
            /**
             * Auth
             * @default ip
             * @enum {string}
             */
            auth?: "ip" | "register";
            /**
             * Channels
             * @default 30
             */
            channels?: number;
            /** Codecs */
            codecs?: ("PCMA" | "PCMU" | "G722" | "G729" | "opus")[];
            /** Host */
            host: string;
            /** Ips */
            ips?: string[];
            /** Name */
            name: string;
            /**
             * Password
             * @default null
             */
            password?: string | null;
            /**
             * Port
             * @default 5060
             */
            port?: number;
            /**
             * Transport
             * @default udp
             * @enum {string}
             */
            transport?: "udp" | "tcp" | "tls";
            /**
             * Username
             * @default
             */
            username?: string;
        };
        /** TrunkList */
        TrunkList: {
            /** Items */
            items: components["schemas"]["TrunkOut"][];
            /** Next */
            next: string | null;
        };
        /** TrunkOut */
        TrunkOut: {
            /**
             * Auth
             * @enum {string}
             */
            auth: "ip" | "register";
            /** Channels */
            channels: number;
            /** Codecs */
            codecs: string[];
            /** Created At */
            created_at: string;
            /** Has Password */
            has_password: boolean;
            /** Host */
            host: string;
            /** Id */
            id: string;
            /** Ips */
            ips: string[];
            /** Name */
            name: string;
            /** Number Count */
            number_count: number;
            /** Port */
            port: number;
            /**
             * Transport
             * @enum {string}
             */
            transport: "udp" | "tcp" | "tls";
            /** Updated At */
            updated_at: string;
            /** Username */
            username: string;
        };
        /** TrunkUpdate */
        TrunkUpdate: {
            /**
             * Auth
             * @default null
             */
            auth?: ("ip" | "register") | null;
            /**
             * Channels
             * @default null
             */
            channels?: number | null;
            /**
             * Codecs
             * @default null
             */
            codecs?: ("PCMA" | "PCMU" | "G722" | "G729" | "opus")[] | null;
            /**
             * Host
             * @default null
             */
            host?: string | null;
            /**
             * Ips
             * @default null
             */
            ips?: string[] | null;
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /**
             * Password
             * @default null
             */
            password?: string | null;
            /**
             * Port
             * @default null
             */
            port?: number | null;
            /**
             * Transport
             * @default null
             */
            transport?: ("udp" | "tcp" | "tls") | null;
            /**
             * Username
             * @default null
             */
            username?: string | null;
        };
        /** UploadOut */
        UploadOut: {
            /** Archive Key */
            archive_key: string;
            /** Expires At */
            expires_at: string;
            /** Expires In */
            expires_in: number;
            /**
             * Method
             * @constant
             */
            method: "PUT";
            /** Upload Url */
            upload_url: string;
        };
        /** UserCreate */
        UserCreate: {
            /** Email */
            email: string;
            /**
             * Extension
             * @default
             */
            extension?: string;
            /**
             * Name
             * @default
             */
            name?: string;
            /** Password */
            password: string;
            /**
             * Role
             * @enum {string}
             */
            role: "provider_admin" | "tenant_admin" | "supervisor" | "agent";
        };
        /** UserList */
        UserList: {
            /** Items */
            items: components["schemas"]["UserOut"][];
            /** Next */
            next: string | null;
        };
        /** UserOut */
        UserOut: {
            /** Created At */
            created_at: string;
            /** Email */
            email: string;
            /** Extension */
            extension: string;
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Role
             * @enum {string}
             */
            role: "provider_admin" | "tenant_admin" | "supervisor" | "agent";
            /**
             * Status
             * @enum {string}
             */
            status: "active" | "disabled";
            /** Tenant Id */
            tenant_id: string | null;
            /**
             * Totp Enabled
             * @default false
             */
            totp_enabled?: boolean;
            /** Updated At */
            updated_at: string;
        };
        /** UserUpdate */
        UserUpdate: {
            /**
             * Extension
             * @default null
             */
            extension?: string | null;
            /**
             * Name
             * @default null
             */
            name?: string | null;
            /**
             * Password
             * @default null
             */
            password?: string | null;
            /**
             * Role
             * @default null
             */
            role?: ("provider_admin" | "tenant_admin" | "supervisor" | "agent") | null;
            /**
             * Status
             * @default null
             */
            status?: ("active" | "disabled") | null;
            /**
             * Totp Reset
             * @default null
             */
            totp_reset?: true | null;
        };
        /** ViewCreate */
        ViewCreate: {
            filters: components["schemas"]["ViewFilters"];
            /** Name */
            name: string;
            /**
             * Shared
             * @description seen by the whole tenant (tenant admins and supervisors only)
             * @default false
             */
            shared?: boolean;
        };
        /** ViewFilters */
        ViewFilters: {
            /**
             * Assignee
             * @default
             */
            assignee?: string;
            /**
             * Priority
             * @default null
             */
            priority?: ("low" | "normal" | "high" | "urgent") | null;
            /**
             * Q
             * @default
             */
            q?: string;
            /**
             * Source
             * @default null
             */
            source?: ("manual" | "call" | "contact" | "missed_call") | null;
            /** Status */
            status?: ("new" | "open" | "pending" | "solved" | "closed")[];
            /**
             * Team
             * @default
             */
            team?: string;
        };
        /** ViewList */
        ViewList: {
            /** Items */
            items: components["schemas"]["ViewOut"][];
            /** Next */
            next: string | null;
        };
        /** ViewOut */
        ViewOut: {
            /** Created At */
            created_at: string;
            filters: components["schemas"]["ViewFilters"];
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Owner */
            owner: string;
            /** Shared */
            shared: boolean;
        };
        /** WebhookCreate */
        WebhookCreate: {
            /**
             * Description
             * @default
             */
            description?: string;
            /**
             * Enabled
             * @default true
             */
            enabled?: boolean;
            /** Events */
            events?: ("*" | "call.ringing" | "call.answered" | "call.transferred" | "call.picked_up" | "call.held" | "call.resumed" | "call.ended" | "recording.ready" | "call.wrapped_up" | "contact.*" | "contact.created" | "contact.updated" | "contact.deleted" | "ticket.*" | "ticket.created" | "ticket.updated" | "ticket.status_changed" | "ticket.assigned" | "ticket.commented" | "ticket.mentioned" | "ticket.deleted")[];
            /**
             * Url
             * @description https:// (the receiver must not be a private or local address)
             */
            url: string;
        };
        /** WebhookCreated */
        WebhookCreated: {
            /** Created At */
            created_at: string;
            /** Description */
            description: string;
            /** Enabled */
            enabled: boolean;
            /** Events */
            events: string[];
            /** Id */
            id: string;
            /**
             * Secret
             * @description shown once: verify the ProBox-Signature header with it
             */
            secret: string;
            /** Updated At */
            updated_at: string;
            /** Url */
            url: string;
        };
        /** WebhookList */
        WebhookList: {
            /** Items */
            items: components["schemas"]["WebhookOut"][];
            /** Next */
            next: string | null;
        };
        /** WebhookOut */
        WebhookOut: {
            /** Created At */
            created_at: string;
            /** Description */
            description: string;
            /** Enabled */
            enabled: boolean;
            /** Events */
            events: string[];
            /** Id */
            id: string;
            /** Updated At */
            updated_at: string;
            /** Url */
            url: string;
        };
        /** WebhookSecretOut */
        WebhookSecretOut: {
            /**
             * Secret
             * @description shown once; the previous secret stops signing at once
             */
            secret: string;
        };
        /** WebhookUpdate */
        WebhookUpdate: {
            /**
             * Description
             * @default null
             */
            description?: string | null;
            /**
             * Enabled
             * @default null
             */
            enabled?: boolean | null;
            /**
             * Events
             * @default null
             */
            events?: ("*" | "call.ringing" | "call.answered" | "call.transferred" | "call.picked_up" | "call.held" | "call.resumed" | "call.ended" | "recording.ready" | "call.wrapped_up" | "contact.*" | "contact.created" | "contact.updated" | "contact.deleted" | "ticket.*" | "ticket.created" | "ticket.updated" | "ticket.status_changed" | "ticket.assigned" | "ticket.commented" | "ticket.mentioned" | "ticket.deleted")[] | null;
            /**
             * Url
             * @default null
             */
            url?: string | null;
        };
        /** WrapupIn */
        WrapupIn: {
            /**
             * Contact Id
             * @description the contact it concerns (default: the call's caller)
             * @default
             */
            contact_id?: string;
            /**
             * Disposition
             * @description a code of the tenant's list (GET /v1/dispositions)
             */
            disposition: string;
            /**
             * Notes
             * @description at most 4000 characters (400 `notes_too_long`); may be empty
             * @default
             */
            notes?: string;
            /**
             * Ticket Id
             * @description a ticket it belongs to
             * @default
             */
            ticket_id?: string;
        };
        /** WrapupOut */
        WrapupOut: {
            /** Call Id */
            call_id: string;
            /**
             * Call Stored
             * @description whether the call's CDR is stored yet (a note may come first)
             */
            call_stored: boolean;
            /** Contact Id */
            contact_id: string;
            /** Created At */
            created_at: string;
            /** Created By */
            created_by: string;
            /** Disposition */
            disposition: string;
            /**
             * Extension
             * @description the agent's extension who wrote it ('' for a supervisor or an admin)
             */
            extension: string;
            /** Notes */
            notes: string;
            /** Ticket Id */
            ticket_id: string;
            /** Updated At */
            updated_at: string;
            /** Updated By */
            updated_by: string;
        };
        /**
         * WrapupSummary
         * @description A call's wrap-up as call lists show it.
         */
        WrapupSummary: {
            /** Disposition */
            disposition: string;
            /**
             * Notes Excerpt
             * @description the first 120 characters of the notes
             */
            notes_excerpt: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    edge_post_cdr: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CdrIn"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrIngestOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_post_cdr_batch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CdrBatchIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrBatchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_commands: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeCommandList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_claim_command: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                command_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeCommandOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_report_command: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                command_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommandReportIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeCommandOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_contact_routes: {
        parameters: {
            query: {
                cursor?: string;
                next?: string;
                tenant_id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactRouteList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_new_credential: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeCredentialOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_post_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventBatchIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventBatchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_post_queue_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueEventBatchIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueEventBatchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_queue_prompt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                language: string;
                name: string;
                queue_id: string;
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptLink"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_seal_key: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SealKeyIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_post_security_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SecurityBatchIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecurityBatchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_snapshot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Not modified (the ETag matches) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_access_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeTokenOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    peek_provisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProvisioningPeekOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    redeem_provisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProvisioningOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    device_config: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                filename: string;
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_agents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    set_agent_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                extension: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentStatusIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_my_agent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    set_my_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentStatusIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_pause_reasons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PauseReasonsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    set_pause_reasons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PauseReasonsIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PauseReasonsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_api_keys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_api_key: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_api_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_assigned_numbers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignedNumberList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_blocklist: {
        parameters: {
            query?: {
                direction?: "in" | "out" | "both";
                extension?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_block: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BlockCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_block: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_block: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_block: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BlockUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_branches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BranchList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_branch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BranchCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BranchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_branch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                branch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BranchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_branch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                branch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_branch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                branch_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BranchUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BranchOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_wrapup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                call_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WrapupOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    put_wrapup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                call_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WrapupIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WrapupOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    click_to_call: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClickToCallIn"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClickToCallOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_click_to_call: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                command_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClickToCallOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    live_calls: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveCallsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_cdrs: {
        parameters: {
            query?: {
                cursor?: string;
                direction?: "internal" | "inbound" | "outbound";
                disposition?: "answered" | "busy" | "no_answer" | "unavailable" | "rejected" | "cancelled" | "failed";
                extension?: string;
                from?: string;
                limit?: number;
                number?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrLocalList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_cdr: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                call_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrLocalOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_cdr_recording: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                call_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordingLinkOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_cdrs: {
        parameters: {
            query?: {
                cursor?: string;
                direction?: "internal" | "inbound" | "outbound";
                disposition?: "answered" | "busy" | "no_answer" | "unavailable" | "rejected" | "cancelled" | "failed";
                extension?: string;
                from?: string;
                limit?: number;
                number?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description `export_too_large`: the answer would exceed what one API response may carry; the message names the route that answers with a download link instead */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_cdrs_csv: {
        parameters: {
            query?: {
                cursor?: string;
                direction?: "internal" | "inbound" | "outbound";
                disposition?: "answered" | "busy" | "no_answer" | "unavailable" | "rejected" | "cancelled" | "failed";
                extension?: string;
                from?: string;
                limit?: number;
                number?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrCsvReportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_cdr_csv_report: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                report_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrCsvReportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_cdrs_xlsx: {
        parameters: {
            query?: {
                cursor?: string;
                direction?: "internal" | "inbound" | "outbound";
                disposition?: "answered" | "busy" | "no_answer" | "unavailable" | "rejected" | "cancelled" | "failed";
                extension?: string;
                from?: string;
                lang?: "en" | "vi";
                limit?: number;
                number?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrReportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_cdr_report: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                report_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CdrReportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_contact_fields: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_contact_field: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FieldCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_contact_field: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_contact_field: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_contact_field: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FieldUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_contacts: {
        parameters: {
            query?: {
                cursor?: string;
                dnc?: "call" | "sms" | "email" | "zalo";
                limit?: number;
                owner?: string;
                q?: string;
                segment?: string;
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_contact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_contact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_contact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_contact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_contact_calls: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactCallList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_dnc: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DncOutEntry"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_dnc: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_contacts: {
        parameters: {
            query?: {
                format?: "xlsx" | "csv";
                lang?: "vi" | "en";
                limit?: number;
                owner?: string;
                segment?: string;
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportLink"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_contact_imports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_contact_import: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_contact_import: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                import_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    commit_contact_import: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                import_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    preview_contact_import: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                import_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportPreviewIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    lookup_contact: {
        parameters: {
            query: {
                number: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_contact_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactSettingsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_contact_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactSettingsUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactSettingsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_devices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_device: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeviceCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_device: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                device_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_device: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                device_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_device: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                device_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeviceUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    rotate_device_config_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                device_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceKeyOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_device_provisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                device_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceTokenOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_dispositions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DispositionList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    put_dispositions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DispositionsIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DispositionList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_edges: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_edge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EdgeCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeCreated"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_edge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                edge_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_edge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                edge_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_edge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                edge_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EdgeUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    rotate_edge_credential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                edge_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeCredentialOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_events: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_extensions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExtensionList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_extension: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExtensionCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExtensionOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_extension: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExtensionOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_extension: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_extension: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExtensionUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExtensionOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_provisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProvisioningLinkOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    rotate_extension_password: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotationOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_states: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudStateList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_state: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudStateOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    lift: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudStateOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudSettingsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FraudSettingsIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudSettingsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    edge_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdgeHealthList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    live_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveTicketOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_numbers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NumberList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_number: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NumberCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NumberOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_number: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NumberOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_number: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_number: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NumberUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NumberOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    openapi_document: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_plans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_plan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_plan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_plan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_plan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_queue_events: {
        parameters: {
            query?: {
                cursor?: string;
                from?: string;
                limit?: number;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueEventList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_queues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_queue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_queue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                queue_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_queue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                queue_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_queue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                queue_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_one_queue_events: {
        parameters: {
            query?: {
                cursor?: string;
                from?: string;
                limit?: number;
                to?: string;
            };
            header?: never;
            path: {
                queue_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueEventList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    upload_queue_prompt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                queue_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromptUpload"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromptOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_queue_prompt: {
        parameters: {
            query?: {
                language?: "vi" | "en";
            };
            header?: never;
            path: {
                name: string;
                queue_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_queue_report: {
        parameters: {
            query: {
                from: string;
                interval?: "15m" | "30m" | "1h" | "1d";
                lang?: "en" | "vi";
                queue_id?: string;
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueReportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description `export_too_large`: the answer would exceed what one API response may carry; the message names the route that answers with a download link instead */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_queue_report: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                report_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueReportOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    queue_stats: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStatsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    recording_usage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordingUsage"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_bans: {
        parameters: {
            query?: {
                active?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BanList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    lift_ban: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ban_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BanOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_tenants: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_tenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_tenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_tenant: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_tenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_admin_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_tenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_tenant_jobs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_tenant_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_tenant_numbers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignedNumberList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    assign_tenant_numbers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NumberAssign"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignedNumberList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    unassign_tenant_number: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                number: string;
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    import_tenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportIn"];
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_import_upload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_ticket_views: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_ticket_view: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ViewCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_ticket_view: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                view_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_tickets: {
        parameters: {
            query?: {
                assignee?: string;
                contact_id?: string;
                cursor?: string;
                limit?: number;
                priority?: "low" | "normal" | "high" | "urgent";
                q?: string;
                source?: "manual" | "call" | "contact" | "missed_call";
                status?: string;
                team?: string;
                view?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TicketCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TicketUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    link_ticket_call: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CallLinkIn"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_ticket_comments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_ticket_comment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticket_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    export_tickets: {
        parameters: {
            query?: {
                assignee?: string;
                lang?: "vi" | "en";
                limit?: number;
                priority?: "low" | "normal" | "high" | "urgent";
                q?: string;
                status?: string;
                team?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketExportLink"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_ticket_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketSettingsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_ticket_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TicketSettingsUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketSettingsOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedTokenList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    revoke_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    revoke_all_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokedOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_trunks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrunkList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_trunk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrunkCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrunkOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_trunk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                trunk_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrunkOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_trunk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                trunk_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_trunk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                trunk_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrunkUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrunkOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    start_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpStartOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    confirm_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpCodeIn"];
            };
        };
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    disable_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpCodeIn"];
            };
        };
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_webhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_deliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryList"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    ping_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PingOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    rotate_webhook_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecretOut"];
                };
            };
            /** @description Invalid input: `error.fields` names each bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing, invalid, expired or revoked credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The caller's role may not do this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Not found (also another tenant's ids: never 403) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Conflict: duplicate, in use, plan limit, or changed meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the caller's request budget of the current window); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
}
