//! A post's side of sync over HTTP (`vigil sync push|pull`): pushes the
//! post's screenings to central bundle by bundle, moving the push cursor after
//! each bundle central acknowledges (an interrupted push resumes there), and
//! pulls central's watchlist and policy. The bundles are `vigil-core::sync`'s;
//! this module only carries them.

use std::time::Duration;

use vigil_core::sync::{self, Pulled};
use vigil_core::{CoreError, Settings, Vigil};

use crate::api::wire::{ErrorOut, SyncReceivedOut};

/// Why a push or pull stopped, in plain words.
#[derive(Debug, thiserror::Error)]
pub enum SyncClientError {
    /// `[sync]` is incomplete or a file it names cannot be read.
    #[error("{0}")]
    Setup(String),
    /// Central did not answer.
    #[error("cannot reach central at {url}: {detail}")]
    Unreachable {
        /// Central's address.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// Central answered with an error.
    #[error("central refused the {what} (HTTP {status}): {message}")]
    Refused {
        /// `bundle` or `pull`.
        what: &'static str,
        /// The HTTP status.
        status: u16,
        /// Central's message.
        message: String,
    },
    /// This instance failed (storage, keys) or refused what central sent.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Central, as a post reaches it.
#[derive(Debug, Clone)]
pub struct Central {
    url: String,
    token: String,
    http: reqwest::Client,
}

impl Central {
    /// Central at `url` (`https://…`; `http://` only to this machine), with an API token of an immigration
    /// account (or an admin) there.
    pub fn new(url: &str, token: &str) -> Result<Central, SyncClientError> {
        let url = url.trim().trim_end_matches('/').to_string();
        // Bundles carry travellers in the clear inside their signature: plain
        // HTTP only to this machine (tests, a local tunnel).
        let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| {
                url.strip_prefix(p)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
            });
        if !(url.starts_with("https://") || local) {
            return Err(SyncClientError::Setup(format!(
                "[sync] central_url must start with https:// (got \"{url}\")"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(20))
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| SyncClientError::Setup(format!("HTTP client: {e}")))?;
        Ok(Central {
            url,
            token: token.trim().to_string(),
            http,
        })
    }

    /// Central as `[sync] central_url` and `token_file` name it.
    pub fn from_settings(settings: &Settings) -> Result<Central, SyncClientError> {
        let s = &settings.sync;
        if s.central_url.trim().is_empty() {
            return Err(SyncClientError::Setup(
                "[sync] central_url is not set: this instance does not sync with a central one"
                    .into(),
            ));
        }
        let Some(file) = s.token_file.as_deref() else {
            return Err(SyncClientError::Setup(
                "[sync] token_file is not set (an API token of an immigration account on central)"
                    .into(),
            ));
        };
        let token = std::fs::read_to_string(file).map_err(|e| {
            SyncClientError::Setup(format!("[sync] token_file {}: {e}", file.display()))
        })?;
        Central::new(&s.central_url, &token)
    }

    fn unreachable(&self, e: reqwest::Error) -> SyncClientError {
        SyncClientError::Unreachable {
            url: self.url.clone(),
            detail: e.to_string(),
        }
    }

    async fn answer(
        &self,
        what: &'static str,
        r: reqwest::Response,
    ) -> Result<String, SyncClientError> {
        let status = r.status();
        let body = r.text().await.map_err(|e| self.unreachable(e))?;
        if status.is_success() {
            return Ok(body);
        }
        let message = serde_json::from_str::<ErrorOut>(&body)
            .map(|e| e.error.message)
            .unwrap_or_else(|_| body.chars().take(300).collect());
        Err(SyncClientError::Refused {
            what,
            status: status.as_u16(),
            message,
        })
    }
}

/// How a push went so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Bundles central acknowledged.
    pub bundles: u64,
    /// Screenings in them.
    pub screenings: u64,
    /// Of which central had not seen.
    pub new: u64,
    /// Of which central updated (a newer decision).
    pub updated: u64,
    /// Of which central had already (sent again after an interruption).
    pub unchanged: u64,
}

/// Pushes every local screening change central does not have yet, in bundles,
/// calling `progress` after each acknowledged bundle. Stops at the first
/// refusal or failure; what was acknowledged stays acknowledged.
pub async fn push(
    v: &Vigil,
    central: &Central,
    mut progress: impl FnMut(&PushReport),
) -> Result<PushReport, SyncClientError> {
    let mut report = PushReport::default();
    while let Some(out) = sync::next_push(&v.screening).await? {
        let r = central
            .http
            .post(format!("{}/api/v1/sync/screenings", central.url))
            .bearer_auth(&central.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(out.bundle)
            .send()
            .await
            .map_err(|e| central.unreachable(e))?;
        let body = central.answer("bundle", r).await?;
        let counts: SyncReceivedOut =
            serde_json::from_str(&body).map_err(|e| SyncClientError::Refused {
                what: "bundle",
                status: 200,
                message: format!("an answer that does not read: {e}"),
            })?;
        sync::acknowledge(&v.screening, out.upto).await?;
        report.bundles += 1;
        report.screenings += out.count as u64;
        report.new += counts.new;
        report.updated += counts.updated;
        report.unchanged += counts.unchanged;
        progress(&report);
    }
    Ok(report)
}

/// Pulls central's watchlist and policy and applies them (see
/// [`vigil_core::sync::apply_pulled`]): a bundle that fails its signature or
/// was altered is refused and the copy held stays.
pub async fn pull(v: &Vigil, central: &Central) -> Result<Pulled, SyncClientError> {
    let r = central
        .http
        .get(format!("{}/api/v1/sync/watchlist", central.url))
        .bearer_auth(&central.token)
        .send()
        .await
        .map_err(|e| central.unreachable(e))?;
    let bundle = central.answer("pull", r).await?;
    Ok(sync::apply_pulled(&v.screening, &bundle).await?)
}
