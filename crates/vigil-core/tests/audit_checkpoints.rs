//! The checkpoint job: while it runs, signed checkpoints of the audit chain
//! reach the file and the command `[audit]` names, and they verify.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::time::Duration;

use vigil_core::audit::{self, checkpoint_anchors, read_checkpoints};
use vigil_core::{Settings, signing};
use vigil_domain::AuditAction;
use vigil_domain::audit::NewAuditEntry;

#[tokio::test]
async fn the_job_exports_signed_checkpoints_to_the_file_and_the_command() {
    let dir = tempfile::tempdir().expect("dir");
    let elsewhere = tempfile::tempdir().expect("elsewhere");
    let file = elsewhere.path().join("by-file");
    let piped = elsewhere.path().join("by-command");
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().join("data");
    settings.audit.checkpoint_file = Some(file.clone());
    settings.audit.checkpoint_command = Some(format!("cat >> '{}'", piped.display()));
    let v = vigil_backends::open(settings).await.expect("open");
    for n in 0..3 {
        v.store
            .append_audit(NewAuditEntry {
                actor: "cli".into(),
                action: AuditAction::TipRead,
                object: format!("tip:{n}"),
                detail: String::new(),
            })
            .await
            .expect("append");
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let job = tokio::spawn(vigil_core::jobs::audit_checkpoints(v.clone(), stop_rx));
    // The first checkpoint is made at once; wait for both copies of it.
    let mut lines = (String::new(), String::new());
    for _ in 0..600 {
        lines = (
            std::fs::read_to_string(&file).unwrap_or_default(),
            std::fs::read_to_string(&piped).unwrap_or_default(),
        );
        if !lines.0.is_empty() && !lines.1.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop_tx.send(true).expect("stop");
    job.await.expect("job");
    assert_eq!(
        lines.0, lines.1,
        "the same line to the file and the command"
    );
    let key = signing::signing_key(&v.settings)
        .expect("key")
        .verifying_key();
    let read = read_checkpoints(&lines.0, &key).expect("signed by this instance");
    assert_eq!(read.len(), 1);
    assert_eq!(
        read[0].1.anchor,
        audit::head(&*v.store).await.expect("head")
    );
    let report = audit::verify(
        &*v.store,
        &v.keys,
        &checkpoint_anchors("by-file", &read),
        |_| {},
    )
    .await
    .expect("verify");
    assert!(report.is_whole(), "{report:?}");
    assert_eq!(report.entries, 3);
}
