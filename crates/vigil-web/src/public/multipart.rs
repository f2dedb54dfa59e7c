//! Reading multipart forms: text fields and photo files, with clear errors.

use axum::extract::Multipart;
use axum::http::StatusCode;
use vigil_core::intake::Upload;

use crate::error::Problem;

/// The fields and files of a form.
#[derive(Debug, Default)]
pub struct Fields {
    /// Text fields, in order (repeated names allowed).
    pub text: Vec<(String, String)>,
    /// Files from `photos` inputs (empty file inputs are skipped).
    pub photos: Vec<Upload>,
}

impl Fields {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.text
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

/// Reads every part. Too large a body is a 413; a broken body a 400.
pub async fn read(mut mp: Multipart, max_photos: usize) -> Result<Fields, Problem> {
    let mut f = Fields::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(body_problem(e.status(), e.body_text())),
        };
        let name = field.name().unwrap_or("").to_string();
        let is_file = field.file_name().is_some();
        let declared = field.content_type().map(str::to_string);
        let data = field
            .bytes()
            .await
            .map_err(|e| body_problem(e.status(), e.body_text()))?;
        if is_file || name == "photos" {
            if data.is_empty() {
                continue;
            }
            if f.photos.len() >= max_photos {
                return Err(
                    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-many-photos")
                        .arg("count", max_photos),
                );
            }
            f.photos.push(Upload {
                bytes: data.to_vec(),
                declared_mime: declared,
            });
        } else {
            let text = String::from_utf8(data.to_vec()).map_err(|_| {
                Problem::new(StatusCode::BAD_REQUEST, "bad-request")
                    .arg("detail", "a field is not valid UTF-8")
            })?;
            crate::extract::check_field(&name, &text, Some(crate::extract::MAX_FIELD_CHARS))?;
            f.text.push((name, text));
        }
    }
    Ok(f)
}

fn body_problem(status: StatusCode, detail: String) -> Problem {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large")
    } else {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request").arg("detail", detail)
    }
}
