//! The OpenAPI document, built by visiting the core's command registry: one
//! `POST /api/commands/{name}` operation per command, with its request and
//! response schemas from the Rust types — and then [`stated`]: the limits the
//! server enforces on every request that a schema can say (a body is
//! required; a command without required fields also takes `null`; no text
//! may carry a control character or a direction override, as
//! `hearth_core::text` refuses; whole numbers may be written `17.0`), and
//! every status a command can answer.
use hearth_core::access::Permission;
use hearth_core::commands::{self, CommandVisitor};
use hearth_core::gate::{SessionInfo, SignIn};
use hearth_core::ErrorBody;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref,
    RefOr, ResponseBuilder, Schema,
};
use utoipa::{PartialSchema, ToSchema};

struct Builder {
    paths: PathsBuilder,
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl CommandVisitor for Builder {
    fn command<Req, Res>(
        &mut self,
        name: &'static str,
        write: bool,
        permission: Permission,
        _topics: &'static [&'static str],
        doc: &'static str,
    ) where
        Req: ToSchema + 'static,
        Res: ToSchema + 'static,
    {
        Req::schemas(&mut self.schemas);
        Res::schemas(&mut self.schemas);
        let json = |schema: RefOr<Schema>| ContentBuilder::new().schema(Some(schema)).build();
        let error_for = |what: &str| refusal(&format!("Nothing was written. {what}"));
        let op = OperationBuilder::new()
            .operation_id(Some(name))
            .summary(Some(doc))
            .description(Some(format!(
                "Needs a signed-in session whose role has the `{}` permission.",
                serde_json::to_value(permission)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            )))
            .tag(if write { "writes" } else { "reads" })
            .request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", json(Req::schema()))
                    .build(),
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("Done.")
                    .content("application/json", json(Res::schema()))
                    .build(),
            )
            .response("400", error_for("The request does not fit the command (a missing field, a wrong type, a rule of the practice): `input.*` and rule codes."))
            .response("401", error_for("No signed-in session (`auth.required`), or it expired (`auth.expired`)."))
            .response("403", error_for("The role may not do this (`staff.forbidden`), another site's page sent it (`auth.cross_origin`), or the password must be changed first."))
            .response("404", error_for("A record it names does not exist (`*.not_found`)."))
            .response("409", error_for("Someone changed it first, or the time is taken (`*.stale`, `booking.overlap`)."))
            .response("413", error_for("The request is larger than 1 MiB (`input.too_large`)."))
            .response("415", error_for("The body is not JSON (`input.content_type`)."))
            .response("429", error_for("Too many tries: wait (`auth.locked`)."))
            .response("500", error_for("The practice file could not be read or written (`store.*`); nothing was written."))
            .response("503", error_for("The practice file is busy (another program holds it, or a restore is under way); try again in a moment."))
            .build();
        self.paths = std::mem::take(&mut self.paths).path(
            format!("/api/commands/{name}"),
            PathItem::new(HttpMethod::Post, op),
        );
    }
}

impl Builder {
    fn access<Req: ToSchema + 'static>(&mut self, path: &str, method: HttpMethod, doc: &str) {
        Req::schemas(&mut self.schemas);
        SessionInfo::schemas(&mut self.schemas);
        self.schemas
            .push((SessionInfo::name().into(), SessionInfo::schema()));
        let json = |schema: RefOr<Schema>| ContentBuilder::new().schema(Some(schema)).build();
        let mut op = OperationBuilder::new().summary(Some(doc)).tag("session");
        if method == HttpMethod::Post && path.ends_with("sign-in") {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", json(Req::schema()))
                    .required(Some(utoipa::openapi::Required::True))
                    .build(),
            ));
        }
        let error_for = refusal;
        let op = op
            .response("400", error_for("The request does not fit (`input.*`)."))
            .response(
                "401",
                error_for("Wrong login or password (`auth.bad_credentials`), or no session."),
            )
            .response(
                "403",
                error_for("Another site's page sent it (`auth.cross_origin`)."),
            )
            .response(
                "415",
                error_for("The body is not JSON (`input.content_type`)."),
            )
            .response(
                "429",
                error_for("Too many wrong passwords: wait (`auth.locked`)."),
            )
            .response(
                "500",
                error_for("The practice file could not be read or written."),
            )
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The session as it now is.")
                    .content(
                        "application/json",
                        json(RefOr::Ref(Ref::from_schema_name("SessionInfo"))),
                    )
                    .build(),
            )
            .build();
        self.paths = std::mem::take(&mut self.paths).path(path, PathItem::new(method, op));
    }
}

/// A refusal's answer: the error body, and `what` it means here.
fn refusal(what: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(format!("Refused: `{{code, message, details}}`. {what}"))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
                .build(),
        )
        .build()
}

/// The document as served: [`document`] with what the server enforces stated.
pub fn served() -> serde_json::Value {
    let mut doc = serde_json::to_value(document()).unwrap_or_default();
    stated(&mut doc);
    doc
}

/// What every command's request must be, written into the document.
fn stated(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    // Shared parts of requests (a booking's time, a date) carry the same rules.
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            if name != "ErrorBody" {
                text_rules(schema, "", false);
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(body) = item.pointer_mut("/post/requestBody") else {
            continue;
        };
        body["required"] = json!(true);
        let Some(schema) = body.pointer_mut("/content/application~1json/schema") else {
            continue;
        };
        text_rules(schema, "", false);
        if SEARCHES.iter().any(|c| path.ends_with(&format!("/{c}"))) {
            // A search's text may be anything: nothing typed finds no one.
            if let Some(Value::Object(props)) = schema.get_mut("properties") {
                for (k, v) in props.iter_mut() {
                    let searched = hearth_core::text::SEARCHED.contains(&k.as_str());
                    if !searched && v.get("type") == Some(&json!("string")) {
                        v["pattern"] = json!(hearth_core::text::schema_pattern(true, false));
                    }
                }
            }
        }
        // A command whose fields are all optional also takes `null` (no
        // arguments), as the core's parser does.
        let none_required = schema
            .get("required")
            .and_then(Value::as_array)
            .is_none_or(|r| r.is_empty());
        if schema.get("type") == Some(&json!("object")) && none_required {
            let inner = schema.take();
            *schema = json!({ "anyOf": [inner, { "type": "null" }] });
        }
    }
}

/// Commands that look people up by what was typed.
const SEARCHES: &[&str] = &["search_people", "likely_people"];

/// Every text field of a request refuses hidden characters; all but notes
/// and messages are one line; a required name, title or reason, and a
/// required note, must show something. A password is taken as typed and a
/// search cleaned, so neither is constrained.
fn text_rules(schema: &mut serde_json::Value, key: &str, required: bool) {
    use hearth_core::text::{schema_pattern, SEARCHED, VERBATIM};
    use serde_json::Value;
    const LINES: &[&str] = &["notes", "body"];
    const NAMED: &[&str] = &["name", "title", "reason", "body", "text", "what"];
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    let is_text = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    };
    let plain =
        !map.contains_key("format") && !map.contains_key("pattern") && !map.contains_key("enum");
    if is_text && plain && key == "colour" {
        map.insert("pattern".into(), Value::from("^ *#[0-9A-Fa-f]{6} *$"));
    } else if is_text && plain && !VERBATIM.contains(&key) && !SEARCHED.contains(&key) {
        let shown = required && NAMED.contains(&key);
        map.insert(
            "pattern".into(),
            Value::String(schema_pattern(!LINES.contains(&key), shown)),
        );
    }
    let needed: Vec<String> = map
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (k, v) in props.iter_mut() {
            text_rules(v, k, needed.contains(k));
        }
        // A field's name may not hide anything either (the parser echoes it),
        // and a field the command does not know is refused.
        map.insert(
            "propertyNames".into(),
            serde_json::json!({ "pattern": schema_pattern(true, false) }),
        );
        map.entry("additionalProperties")
            .or_insert(Value::Bool(false));
    }
    for nested in ["items", "additionalProperties"] {
        if let Some(v) = map.get_mut(nested) {
            text_rules(v, key, false);
        }
    }
    for list in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(items)) = map.get_mut(list) {
            for v in items {
                text_rules(v, key, required);
            }
        }
    }
}

pub fn document() -> OpenApi {
    let mut b = Builder {
        paths: PathsBuilder::new(),
        schemas: Vec::new(),
    };
    commands::visit(&mut b);
    b.access::<SignIn>(
        "/api/sign-in",
        HttpMethod::Post,
        "Sign in: sets the HttpOnly, SameSite=Strict `hearth_session` cookie.",
    );
    b.access::<SignIn>(
        "/api/sign-out",
        HttpMethod::Post,
        "Sign out: ends the session and clears the cookie (no body).",
    );
    b.access::<SignIn>(
        "/api/session",
        HttpMethod::Get,
        "Who is signed in, what they may do, and what the sign-in screen needs (no body).",
    );
    let mut components = ComponentsBuilder::new().schema(ErrorBody::name(), ErrorBody::schema());
    for (name, schema) in b.schemas {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Hearth").version(env!("CARGO_PKG_VERSION")).description(Some(
            "Every Hearth command over HTTP, for a signed-in session (POST /api/sign-in sets the cookie; without it every command answers 401 `auth.required`). Change events stream from GET /api/events (SSE, event `hearth-changes`).",
        )))
        .paths(b.paths.build())
        .components(Some(components.build()))
        .build()
}
