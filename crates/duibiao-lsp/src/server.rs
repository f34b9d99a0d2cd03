//! The server loop: the handshake, then one message at a time — documents kept in step with the
//! editor and diagnosed after each change, requests answered from the compiler's analysis. A
//! request whose handler panics is answered with an error, and the server goes on.

use crate::document::Document;
use crate::format::Formatter;
use crate::{complete, diagnostics, format, navigate, Lang};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    References, Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    InitializeParams, InitializeResult, OneOf, PublishDiagnosticsParams, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What the server is started with besides its connection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The formatter of `textDocument/formatting`; without one, formatting is not advertised.
    pub formatter: Option<Formatter>,
}

/// Why the server stopped other than by `shutdown` and `exit`.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server on `connection` until the client shuts it down (`shutdown`, then `exit`) or
/// the connection closes.
pub fn run(connection: &Connection, options: Options) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let init: InitializeParams = serde_json::from_value(params)?;
    let result = InitializeResult {
        capabilities: capabilities(&options),
        server_info: Some(ServerInfo {
            name: "duibiao".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        docs: HashMap::new(),
        lang: lang_of(&init),
        options,
    };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(());
                }
                let response = server.request(req);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => {
                for out in server.notification(n) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// What the server can do.
pub fn capabilities(options: &Options) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(lsp_types::PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions::default()),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: options.formatter.map(|_| OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// The language of messages: `initializationOptions.lang` (`zh` or `en`), else the client's
/// `locale` (`zh…` is Chinese, any other English), else Chinese.
pub fn lang_of(init: &InitializeParams) -> Lang {
    let option = init
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("lang"))
        .and_then(|l| l.as_str());
    match option.or(init.locale.as_deref()) {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        Some(_) => Lang::En,
        None => Lang::Zh,
    }
}

struct Server {
    docs: HashMap<Url, Document>,
    lang: Lang,
    options: Options,
}

/// A request's answer, or the error to answer with.
type Answer = Result<serde_json::Value, (ErrorCode, String)>;

impl Server {
    /// Answers a request; a handler that panics is answered with an internal error.
    fn request(&self, req: Request) -> Response {
        let id = req.id.clone();
        let method = req.method.clone();
        let answer = guarded(|| self.dispatch(req))
            .unwrap_or_else(|| Err((ErrorCode::InternalError, format!("`{method}` failed"))));
        respond(id, answer)
    }

    fn dispatch(&self, req: Request) -> Answer {
        let lang = self.lang;
        match req.method.as_str() {
            HoverRequest::METHOD => self.on::<HoverRequest, _>(req, |d, p| {
                let pos = p.text_document_position_params.position;
                navigate::hover(d, pos, lang)
            }),
            GotoDefinition::METHOD => self.on::<GotoDefinition, _>(req, |d, p| {
                let tp = &p.text_document_position_params;
                let found = navigate::definition(d, &tp.text_document.uri, tp.position);
                (!found.is_empty()).then_some(lsp_types::GotoDefinitionResponse::Array(found))
            }),
            References::METHOD => self.on::<References, _>(req, |d, p| {
                let tp = &p.text_document_position;
                let decl = p.context.include_declaration;
                navigate::references(d, &tp.text_document.uri, tp.position, decl)
            }),
            Completion::METHOD => self.on::<Completion, _>(req, |d, p| {
                let pos = p.text_document_position.position;
                lsp_types::CompletionResponse::Array(complete::completion(d, pos, lang))
            }),
            DocumentSymbolRequest::METHOD => self.on::<DocumentSymbolRequest, _>(req, |d, _| {
                lsp_types::DocumentSymbolResponse::Nested(complete::outline(d, lang))
            }),
            CodeActionRequest::METHOD => self.on::<CodeActionRequest, _>(req, |d, p| {
                let quick = p.context.only.as_ref().is_none_or(|only| {
                    only.iter()
                        .any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
                });
                let actions = if quick {
                    diagnostics::code_actions(d, &p.text_document.uri, p.range, lang)
                } else {
                    Vec::new()
                };
                actions
                    .into_iter()
                    .map(lsp_types::CodeActionOrCommand::CodeAction)
                    .collect::<Vec<_>>()
            }),
            Formatting::METHOD if self.options.formatter.is_some() => {
                let formatter = self.options.formatter;
                self.on::<Formatting, _>(req, |d, _| {
                    formatter.map(|f| format::edits(&d.text, &d.lines, f))
                })
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{other}`"),
            )),
        }
    }

    /// Answers request `R` about an open document with `f`; `null` for a document not open.
    fn on<R, T>(&self, req: Request, f: impl FnOnce(&Document, R::Params) -> T) -> Answer
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned + HasDocument,
        T: Serialize,
    {
        let params: R::Params = serde_json::from_value(req.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let Some(doc) = self.docs.get(params.uri()) else {
            return Ok(serde_json::Value::Null);
        };
        serde_json::to_value(f(doc, params)).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// Handles a notification; returns the notifications to send (diagnostics).
    fn notification(&mut self, n: Notification) -> Vec<Notification> {
        let method = n.method.clone();
        match guarded(|| self.notified(n)) {
            Some(out) => out,
            None => {
                eprintln!("duibiao lsp: `{method}` failed");
                Vec::new()
            }
        }
    }

    fn notified(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let d = p.text_document;
                self.docs
                    .insert(d.uri.clone(), Document::new(d.text, d.version));
                self.publish(&d.uri)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return Vec::new();
                };
                doc.apply(p.content_changes, p.text_document.version);
                self.publish(&uri)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = n
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                self.docs.remove(&p.text_document.uri);
                vec![publish(p.text_document.uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    fn publish(&self, uri: &Url) -> Vec<Notification> {
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let ds = diagnostics::diagnostics(doc, uri, self.lang);
        vec![publish(uri.clone(), ds, Some(doc.version))]
    }
}

fn publish(
    uri: Url,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}

fn respond(id: RequestId, answer: Answer) -> Response {
    match answer {
        Ok(value) => Response {
            id,
            result: Some(value),
            error: None,
        },
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

/// Runs `f`, or returns `None` if it panics (the panic's message goes to standard error, which
/// the protocol does not use).
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

/// The parameters of a request about one document.
trait HasDocument {
    fn uri(&self) -> &Url;
}

macro_rules! has_document {
    ($($t:ty => |$p:ident| $e:expr;)*) => {
        $(impl HasDocument for $t {
            fn uri(&self) -> &Url {
                let $p = self;
                $e
            }
        })*
    };
}

has_document! {
    lsp_types::HoverParams => |p| &p.text_document_position_params.text_document.uri;
    lsp_types::GotoDefinitionParams => |p| &p.text_document_position_params.text_document.uri;
    lsp_types::ReferenceParams => |p| &p.text_document_position.text_document.uri;
    lsp_types::CompletionParams => |p| &p.text_document_position.text_document.uri;
    lsp_types::DocumentSymbolParams => |p| &p.text_document.uri;
    lsp_types::CodeActionParams => |p| &p.text_document.uri;
    lsp_types::DocumentFormattingParams => |p| &p.text_document.uri;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught() {
        assert_eq!(guarded(|| 1), Some(1));
        let r: Option<()> = guarded(|| panic!("boom"));
        assert_eq!(r, None);
    }

    #[test]
    fn the_language_of_messages() {
        let with = |options: Option<serde_json::Value>, locale: Option<&str>| {
            #[allow(deprecated)]
            let init = InitializeParams {
                initialization_options: options,
                locale: locale.map(str::to_string),
                ..InitializeParams::default()
            };
            lang_of(&init)
        };
        assert_eq!(with(None, None), Lang::Zh);
        assert_eq!(with(None, Some("en-US")), Lang::En);
        assert_eq!(with(None, Some("zh-CN")), Lang::Zh);
        assert_eq!(
            with(Some(serde_json::json!({"lang": "en"})), Some("zh-cn")),
            Lang::En
        );
        assert_eq!(
            with(Some(serde_json::json!({"lang": "zh"})), Some("en")),
            Lang::Zh
        );
        assert_eq!(with(Some(serde_json::json!({})), Some("fr")), Lang::En);
    }
}
