//! The OpenAPI document, built by visiting the core's command registry: one
//! `POST /api/commands/{name}` operation per command, with its request and
//! response schemas from the Rust types.
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
        let error = ResponseBuilder::new()
            .description("Refused: `{code, message, details}`; nothing was written.")
            .content(
                "application/json",
                json(RefOr::Ref(Ref::from_schema_name("ErrorBody"))),
            )
            .build();
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
            .response("4XX", error.clone())
            .response("5XX", error)
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
                    .build(),
            ));
        }
        let op = op
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
