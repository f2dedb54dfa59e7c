//! The subcommands' bodies: load settings, open the application, call the
//! libraries, print results.

use std::fs::File;
use std::io::{BufReader, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use vigil_core::Vigil;

use crate::context::{Global, open, settings};

/// Every wrong field of `e` as the English pages say it (`Row 3, Exit post:
/// …`); the message ids when the translations do not load.
pub fn field_errors_in_english(e: &vigil_core::FieldError) -> Vec<String> {
    match vigil_web::I18n::load() {
        Ok(i18n) => e
            .all()
            .map(|e| {
                vigil_web::i18n::field_error_text(&i18n, "en", &e.field, e.message.id(), &e.args)
            })
            .collect(),
        Err(_) => e.all().map(ToString::to_string).collect(),
    }
}

/// An error as the command line says it: a wrong field in English words.
pub fn describe(e: &anyhow::Error) -> String {
    match e.downcast_ref::<vigil_core::CoreError>() {
        Some(vigil_core::CoreError::InvalidField(fe)) => {
            let mut out = String::new();
            for cause in e.chain().take_while(|c| !c.is::<vigil_core::CoreError>()) {
                out.push_str(&format!("{cause}: "));
            }
            out.push_str(&field_errors_in_english(fe).join("; "));
            out
        }
        _ => format!("{e:#}"),
    }
}

/// `vigil config show`.
pub fn config_show(g: &Global) -> anyhow::Result<()> {
    println!("{:#?}", settings(g)?);
    Ok(())
}

/// `vigil key rotate`.
pub fn key_rotate(g: &Global) -> anyhow::Result<()> {
    let s = settings(g)?;
    let path = s.storage.key_path();
    if !path.exists() {
        bail!(
            "no key file at {} (start Vigil once to create it)",
            path.display()
        );
    }
    let id = vigil_core::keys::Keys::rotate(&path)?;
    println!(
        "key {id} is now active; older keys stay in {} to read older data",
        path.display()
    );
    Ok(())
}

/// `vigil gazetteer search`.
pub fn gazetteer_search(name: &str, limit: usize, json: bool) -> anyhow::Result<()> {
    let g = vigil_domain::gazetteer::gazetteer();
    let found = g.search(name, limit);
    let mut out = std::io::stdout().lock();
    if found.is_empty() {
        bail!("no province, district, commune or village matches {name:?}");
    }
    for m in found {
        if json {
            let line = serde_json::json!({
                "code": m.unit.code, "level": m.unit.level.as_str(),
                "name_km": m.unit.name_km, "name_en": m.unit.name_en,
                "path_en": g.path_en(m.unit), "path_km": g.path_km(m.unit),
                "matched_variant": m.variant, "score": m.score,
            });
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{:<9} {:<9} {}  ({}){}",
                m.unit.code,
                m.unit.level.as_str(),
                g.path_en(m.unit),
                m.unit.name_km,
                m.variant.map(|v| format!("  [as {v}]")).unwrap_or_default()
            )?;
        }
    }
    Ok(())
}

/// `vigil serve`.
pub async fn serve(g: Global, listen: Option<SocketAddr>, no_worker: bool) -> anyhow::Result<()> {
    let mut s = settings(&g)?;
    if let Some(l) = listen {
        s.server.listen = l.to_string();
    }
    if no_worker {
        s.server.worker = false;
    }
    let addr = s.server.listen.clone();
    let worker = s.server.worker;
    let v = vigil_backends::open(s)
        .await
        .context("cannot open the store")?;
    let backend = v.store.backend();
    let state = vigil_web::AppState::new(v.clone()).context("cannot load translations")?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    if worker {
        tokio::spawn(vigil_core::jobs::housekeeping(
            v.clone(),
            Duration::from_secs(60),
            stop_rx.clone(),
        ));
        tokio::spawn(vigil_core::jobs::audit_checkpoints(
            v.clone(),
            stop_rx.clone(),
        ));
        tokio::spawn(vigil_core::jobs::check_upkeep(v.clone(), stop_rx.clone()));
        tokio::spawn(vigil_core::pipeline::worker(
            v.pipeline.clone(),
            Duration::from_millis(250),
            stop_rx,
        ));
    }
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "Vigil is listening on http://{local}/ (store: {backend})"
        );
        let _ = out.flush();
    }
    crate::staff_cmd::bootstrap(&v, &local.to_string()).await?;
    let shutdown = async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop_tx.send(true);
    };
    vigil_web::serve(state, listener, shutdown).await?;
    Ok(())
}

/// Runs the pipeline until it has caught up, with a spinner.
async fn process(v: &Vigil) -> anyhow::Result<()> {
    let bar = ProgressBar::new_spinner();
    bar.set_message("processing");
    let done = vigil_core::pipeline::run_until_idle(&v.pipeline, |p| {
        bar.set_message(format!("processed {} tips ({} events)", p.tips, p.events));
        bar.tick();
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "pipeline: {} tips processed, caught up at event {}",
        done.tips, done.cursor
    );
    Ok(())
}

/// `vigil export facilities`: catches the pipeline up, then writes one JSON
/// line per facility to standard output.
pub async fn export_facilities(g: Global, format: String) -> anyhow::Result<()> {
    if format != "jsonl" {
        bail!("unknown format {format}: use jsonl");
    }
    let v = open(&g).await?;
    vigil_core::pipeline::run_until_idle(&v.pipeline, |_| {}).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let n = vigil_core::facilities::export(&v.intel, |f| {
        serde_json::to_writer(&mut out, &f)
            .map_err(|e| vigil_core::CoreError::Internal(e.to_string()))?;
        writeln!(out).map_err(|e| vigil_core::CoreError::Internal(e.to_string()))
    })
    .await?;
    out.flush()?;
    eprintln!("{n} facilities");
    Ok(())
}

/// `vigil reindex`: empties the search index and fills it from the outbox.
pub async fn reindex(g: Global) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let bar = ProgressBar::new_spinner();
    let n = vigil_core::search::reindex(&v.search, |n| {
        bar.set_message(format!("{n} events indexed"));
        bar.tick();
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "search index rebuilt: {n} events, {} tips",
        v.search.num_docs()
    );
    Ok(())
}

/// `vigil worker`: follows the outbox until interrupted.
pub async fn worker(g: Global) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    println!("Vigil worker: following the outbox (Ctrl-C to stop)");
    tokio::spawn(vigil_core::jobs::audit_checkpoints(
        v.clone(),
        stop_rx.clone(),
    ));
    tokio::spawn(vigil_core::jobs::check_upkeep(v.clone(), stop_rx.clone()));
    let run = tokio::spawn(vigil_core::pipeline::worker(
        v.pipeline.clone(),
        Duration::from_millis(250),
        stop_rx,
    ));
    let _ = tokio::signal::ctrl_c().await;
    let _ = stop_tx.send(true);
    let _ = run.await;
    Ok(())
}

/// `vigil import tips`.
pub async fn import_tips(
    g: Global,
    file: PathBuf,
    no_process: bool,
    report_path: Option<PathBuf>,
) -> anyhow::Result<()> {
    let v = open(&g).await?;
    let (reader, total): (Box<dyn std::io::BufRead>, u64) = if file.as_os_str() == "-" {
        (Box::new(BufReader::new(std::io::stdin().lock())), 0)
    } else {
        let f = File::open(&file).with_context(|| format!("cannot open {}", file.display()))?;
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        (Box::new(BufReader::with_capacity(1 << 16, f)), len)
    };
    let bar = if total > 0 {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::new_spinner()
    };
    let report = vigil_core::import::import_jsonl(&v.intake, reader, "cli:import", |p| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} lines", p.lines));
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "{} lines read: {} stored, {} already stored (skipped), {} refused",
        report.lines,
        report.stored,
        report.duplicates,
        report.refused.len()
    );
    for r in report.refused.iter().take(50) {
        eprintln!(
            "line {}{}: {}",
            r.line,
            r.reference
                .as_deref()
                .map(|x| format!(" (ref {x})"))
                .unwrap_or_default(),
            r.reason
        );
    }
    if report.refused.len() > 50 {
        eprintln!("… and {} more refused lines", report.refused.len() - 50);
    }
    if !no_process {
        process(&v).await?;
    }
    if let Some(p) = report_path {
        let mut f = File::create(&p).with_context(|| format!("cannot write {}", p.display()))?;
        for r in &report.refused {
            writeln!(
                f,
                "{}",
                serde_json::json!({"line": r.line, "ref": r.reference, "reason": r.reason})
            )?;
        }
    }
    if !report.refused.is_empty() {
        bail!(
            "{} lines were refused (nothing of them was stored)",
            report.refused.len()
        );
    }
    Ok(())
}
