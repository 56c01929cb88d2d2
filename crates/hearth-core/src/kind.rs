//! What kind of practice this is — a dental office or a hotel — the one fact
//! that changes words, rules and limits everywhere.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PracticeKind {
    Dental,
    Hotel,
}

impl PracticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PracticeKind::Dental => "dental",
            PracticeKind::Hotel => "hotel",
        }
    }
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "dental" => Ok(PracticeKind::Dental),
            "hotel" => Ok(PracticeKind::Hotel),
            other => Err(CoreError::Storage(format!("unknown practice kind {other}"))),
        }
    }
}
