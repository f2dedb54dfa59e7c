//! Times the figures at demo scale, in process: what `vigil stats` computes
//! (`figures::national`), the staff dashboard (`GET /staff/dashboard`, signed
//! in as a national officer) and the public page (`GET /en/figures`), each
//! `ROUNDS` times, and prints one JSON line per measure with p50 and p95 in ms.
//!
//! `cargo run --release -p vigil-web --example figures_bench -- DATA_DIR [DATABASE_URL] ROUNDS`
//! (see `bench/figures/run.sh`, which builds the demo first).

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;
use vigil_core::Settings;
use vigil_core::figures::{self, Period};
use vigil_core::staff::{self, SignIn};
use vigil_domain::{Jurisdiction, Role};

fn quantiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95))
}

fn line(measure: &str, backend: &str, ms: Vec<f64>) {
    let (p50, p95) = quantiles(ms);
    println!(
        "{{\"measure\":\"{measure}\",\"backend\":\"{backend}\",\"p50_ms\":{p50:.2},\"p95_ms\":{p95:.2}}}"
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, url, rounds) = match args.len() {
        3 => (args[1].clone(), String::new(), args[2].parse::<usize>()?),
        4 => (args[1].clone(), args[2].clone(), args[3].parse::<usize>()?),
        _ => return Err("usage: figures_bench DATA_DIR [DATABASE_URL] ROUNDS".into()),
    };
    let mut s = Settings::default();
    s.storage.data_dir = dir.into();
    s.storage.database_url = url;
    s.server.worker = false;
    let v = vigil_backends::open(s).await?;
    let backend = v.store.backend();

    // A national officer for the dashboard (created once per data directory).
    let name = "bench.officer";
    if v.store.staff_by_username(name).await?.is_none() {
        let token = vigil_testkit::staff_account(
            &v,
            name,
            "Bench officer",
            Role::Officer,
            Jurisdiction::National,
        )
        .await;
        staff::complete_setup(&v.staff, &token, "bench horse battery staple", None).await?;
    }
    let cookie =
        match staff::sign_in(&v.staff, name, "bench horse battery staple", None, None).await? {
            SignIn::Done(c) => c,
            SignIn::NeedsTotp(_) => return Err("an officer should not need a second factor".into()),
        };
    let app = vigil_web::router(vigil_web::AppState::new(v.clone())?);

    let mut core = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        figures::national(&v.figures, Period::default()).await?;
        core.push(t.elapsed().as_secs_f64() * 1e3);
    }
    line("figures_national", backend, core);

    for (measure, path, with_cookie) in [
        ("staff_dashboard", "/staff/dashboard", true),
        ("public_figures", "/en/figures", false),
    ] {
        let mut ms = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let mut req = Request::get(path).header(header::HOST, "127.0.0.1");
            if with_cookie {
                req = req.header(header::COOKIE, format!("vigil_staff={cookie}"));
            }
            let t = Instant::now();
            let r = app.clone().oneshot(req.body(Body::empty())?).await?;
            let status = r.status();
            let _ = axum::body::to_bytes(r.into_body(), usize::MAX).await?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            if !status.is_success() {
                return Err(format!("{path}: {status}").into());
            }
        }
        line(measure, backend, ms);
    }
    Ok(())
}
