//! The OpenAPI document, built by visiting the core's command registry: one
//! `POST /api/commands/{name}` operation per command, with its request and
//! response schemas from the Rust types.
use hearth_core::commands::{self, CommandVisitor};
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
    fn command<Req, Res>(&mut self, name: &'static str, write: bool, doc: &'static str)
    where
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

pub fn document() -> OpenApi {
    let mut b = Builder {
        paths: PathsBuilder::new(),
        schemas: Vec::new(),
    };
    commands::visit(&mut b);
    let mut components = ComponentsBuilder::new().schema(ErrorBody::name(), ErrorBody::schema());
    for (name, schema) in b.schemas {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Hearth").version(env!("CARGO_PKG_VERSION")).description(Some(
            "Every Hearth command over HTTP. Send the acting staff member's id in `x-hearth-actor`. Change events stream from GET /api/events (SSE, event `hearth-changes`).",
        )))
        .paths(b.paths.build())
        .components(Some(components.build()))
        .build()
}
