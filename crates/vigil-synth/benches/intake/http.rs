//! The HTTP phase: the release `vigil serve` as a child process on 127.0.0.1,
//! wrk for maximum throughput, and a paced open-loop client for latency.

use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vigil_core::Settings;
use vigil_synth::SynthTip;

use crate::{Opts, Row, fresh_dir, percentiles, synth_pool};

// Phase 4: HTTP, the release binary as a child process.

/// A running `vigil serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start_server(bin: &Path, dir: PathBuf, kib: u32, log: &Path) -> anyhow::Result<Server> {
    let log = std::fs::File::create(log)?;
    let mut child = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env("VIGIL_RECEIPTS__ARGON2_MEMORY_KIB", kib.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(first)) = lines.next() {
            let _ = tx.send(first);
        }
        // Keep draining so the child never blocks on a full pipe.
        for _ in lines {}
    });
    let mut server = Server {
        child,
        addr: String::new(),
        dir,
    };
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| anyhow!("vigil serve did not say where it listens within 60 s"))?;
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .ok_or_else(|| anyhow!("unexpected first line from vigil serve: {line}"))?;
    if !addr.starts_with("127.0.0.1:") {
        bail!("vigil serve listens on {addr}, not loopback");
    }
    server.addr = addr.to_string();
    Ok(server)
}

/// CPU seconds (user + system, all threads) used so far by process `pid`, from
/// `/proc`: on a shared machine, CPU per tip moves less than tips per second.
fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the line.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / clock_ticks())
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// Appends the server's CPU time per answered tip to a row's note.
fn note_cpu(row: &mut Row, before: Option<f64>, after: Option<f64>) {
    if let (Some(a), Some(b)) = (before, after)
        && row.tips > 0
    {
        row.note = format!(
            "{}; server CPU {:.0} µs/tip",
            row.note,
            (b - a) * 1e6 / row.tips as f64
        );
    }
}

fn http_request(addr: &str, body: &str) -> Vec<u8> {
    format!(
        "POST /api/v1/tips HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response on a keep-alive connection; returns the status and body.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> anyhow::Result<(u16, Vec<u8>)> {
    buf.clear();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed");
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end])?;
    let status: u16 = head
        .split(' ')
        .nth(1)
        .ok_or_else(|| anyhow!("bad status line"))?
        .parse()?;
    let mut len = None;
    for line in head.split("\r\n").skip(1) {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = Some(v.trim().parse::<usize>()?);
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                bail!("chunked responses are not handled by this client");
            }
        }
    }
    let len = len.ok_or_else(|| anyhow!("response without content-length"))?;
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed mid-body");
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok((status, buf[head_end..head_end + len].to_vec()))
}

/// One request and its 201, or an error.
async fn post(s: &mut TcpStream, req: &[u8], buf: &mut Vec<u8>) -> anyhow::Result<()> {
    s.write_all(req).await?;
    let (status, body) = read_response(s, buf).await?;
    if status != 201 {
        bail!("status {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(())
}

async fn smoke(addr: &str, body: &str) -> anyhow::Result<String> {
    let mut s = TcpStream::connect(addr).await?;
    s.set_nodelay(true)?;
    s.write_all(&http_request(addr, body)).await?;
    let (status, body) = read_response(&mut s, &mut Vec::new()).await?;
    let body = String::from_utf8_lossy(&body).to_string();
    if status != 201 || !body.contains("\"receipt\"") {
        bail!("smoke request: status {status}, body {body}");
    }
    Ok(body)
}

/// The paced (open-loop) run: requests scheduled every 1/rate s for `dur`,
/// sent on `conns` keep-alive connections; latency is measured from each
/// request's scheduled time, so time spent waiting for a free connection (the
/// server falling behind) counts. Requests not answered within `dur + grace`
/// count as unanswered.
async fn paced(
    addr: &str,
    bodies: &Arc<Vec<Vec<u8>>>,
    rate: f64,
    dur: Duration,
    conns: usize,
) -> anyhow::Result<(Row, u64)> {
    let grace = Duration::from_secs(5);
    let total = (rate * dur.as_secs_f64()).round() as u64;
    let (tx, rx) = tokio::sync::mpsc::channel::<(u64, Instant)>(total as usize + 1);
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let start = Instant::now() + Duration::from_millis(50);
    let hard_stop = start + dur + grace;
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (rx, bodies, errors) = (rx.clone(), bodies.clone(), errors.clone());
        let addr = addr.to_string();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut last = start;
            let mut s = TcpStream::connect(&addr).await?;
            s.set_nodelay(true)?;
            let mut buf = Vec::with_capacity(1024);
            loop {
                let job = { rx.lock().await.recv().await };
                let Some((i, due)) = job else { break };
                if Instant::now() >= hard_stop {
                    break;
                }
                let req = &bodies[(i as usize) % bodies.len()];
                let left = hard_stop.saturating_duration_since(Instant::now());
                match tokio::time::timeout(left, post(&mut s, req, &mut buf)).await {
                    Ok(Ok(())) => {
                        last = Instant::now();
                        lat.push(due.elapsed().as_micros() as u64);
                    }
                    Ok(Err(_)) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        s = TcpStream::connect(&addr).await?;
                        s.set_nodelay(true)?;
                    }
                    Err(_) => break,
                }
            }
            anyhow::Ok((lat, last))
        }));
    }
    for k in 0..total {
        let due = start + Duration::from_secs_f64(k as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        tx.send((k, due))
            .await
            .map_err(|_| anyhow!("all connections failed"))?;
    }
    drop(tx);
    let mut lat = Vec::new();
    let mut last = start;
    for t in tasks {
        let (l, at) = t.await??;
        lat.extend(l);
        last = last.max(at);
    }
    let answered = lat.len() as u64;
    // Throughput over the time it took to answer, which is longer than the
    // offered window when the server falls behind.
    let secs = last
        .saturating_duration_since(start)
        .as_secs_f64()
        .max(dur.as_secs_f64());
    let errors = errors.load(Ordering::Relaxed);
    lat.resize(total as usize, u64::MAX);
    Ok((
        Row {
            what: String::new(),
            tips: answered,
            secs,
            lat: percentiles(&mut lat),
            note: format!(
                "offered {rate:.0}/s for {:.0} s on {conns} connections: {answered} of {total} answered 201, {errors} errors",
                dur.as_secs_f64()
            ),
        },
        total - answered,
    ))
}

/// Closed loop on our own client (used when wrk is missing).
async fn closed_loop(
    addr: &str,
    bodies: &Arc<Vec<Vec<u8>>>,
    dur: Duration,
    conns: usize,
) -> anyhow::Result<Row> {
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + dur;
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (bodies, next, errors) = (bodies.clone(), next.clone(), errors.clone());
        let addr = addr.to_string();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut s = TcpStream::connect(&addr).await?;
            s.set_nodelay(true)?;
            let mut buf = Vec::new();
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let t0 = Instant::now();
                let left = (deadline + Duration::from_secs(5)).saturating_duration_since(t0);
                match tokio::time::timeout(
                    left,
                    post(&mut s, &bodies[(i as usize) % bodies.len()], &mut buf),
                )
                .await
                {
                    Ok(Ok(())) => lat.push(t0.elapsed().as_micros() as u64),
                    Ok(Err(_)) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        s = TcpStream::connect(&addr).await?;
                    }
                    Err(_) => break,
                }
            }
            anyhow::Ok(lat)
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(Row {
        what: String::new(),
        tips: lat.len() as u64,
        secs,
        lat: percentiles(&mut lat),
        note: format!(
            "closed loop, {conns} connections (own client; wrk not found), {} errors",
            errors.load(Ordering::Relaxed)
        ),
    })
}

fn find_wrk() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("wrk"))
            .find(|f| f.is_file())
    })
}

/// A wrk script that POSTs the synthetic bodies in turn and reports every
/// non-201 answer.
fn wrk_script(path: &Path, bodies: &[String]) -> anyhow::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "-- generated by vigil-synth's intake benchmark")?;
    writeln!(f, "wrk.method = \"POST\"")?;
    writeln!(f, "wrk.headers[\"Content-Type\"] = \"application/json\"")?;
    writeln!(f, "local bodies = {{")?;
    for b in bodies {
        if b.contains("]==]") {
            bail!("a body contains the Lua long-string terminator");
        }
        writeln!(f, "[==[{b}]==],")?;
    }
    writeln!(f, "}}")?;
    f.write_all(
        br#"local n = #bodies
local i = 0
non201 = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  i = i + 1
  return wrk.format(nil, "/api/v1/tips", nil, bodies[(i % n) + 1])
end
function response(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non201") end
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d non201=%d connect=%d read=%d write=%d timeout=%d p50=%d p90=%d p99=%d max=%d\n",
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"#,
    )?;
    Ok(())
}

fn run_wrk(
    wrk: &Path,
    script: &Path,
    addr: &str,
    dur: Duration,
    conns: usize,
    log: &Path,
) -> anyhow::Result<Row> {
    let out = Command::new(wrk)
        .args([
            "-t1",
            &format!("-c{conns}"),
            &format!("-d{}s", dur.as_secs().max(1)),
        ])
        .args(["--timeout", "10s", "-s"])
        .arg(script)
        .arg(format!("http://{addr}/"))
        .stdin(Stdio::null())
        .output()
        .context("cannot run wrk")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    std::fs::write(
        log,
        format!("{text}\n{}", String::from_utf8_lossy(&out.stderr)),
    )?;
    let line = text
        .lines()
        .find(|l| l.starts_with("WRK "))
        .ok_or_else(|| anyhow!("wrk printed no summary; see {}", log.display()))?;
    let field = |k: &str| -> anyhow::Result<u64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .ok_or_else(|| anyhow!("wrk summary lacks {k}"))?
            .parse::<u64>()
            .map_err(anyhow::Error::from)
    };
    let requests = field("requests")?;
    let non201 = field("non201")?;
    let errs = field("connect")? + field("read")? + field("write")? + field("timeout")?;
    let secs = field("duration_us")? as f64 / 1e6;
    Ok(Row {
        what: String::new(),
        tips: requests.saturating_sub(non201),
        secs,
        lat: Some([field("p50")?, field("p90")?, field("p99")?, field("max")?]),
        note: format!(
            "wrk -t1 -c{conns}, closed loop: {requests} responses, {non201} not 201, {errs} socket errors"
        ),
    })
}

pub(crate) async fn http_phase(o: &Opts, bin: &Path) -> anyhow::Result<Vec<Row>> {
    let pool = synth_pool(1000);
    let json: Vec<String> = pool.iter().map(SynthTip::api_json).collect();
    let script = o.out.join("intake-wrk.lua");
    wrk_script(&script, &json)?;
    let wrk = find_wrk();
    let mut rows = Vec::new();
    for &kib in &o.argon2_kib {
        let dir = fresh_dir(&o.data, &format!("http-{kib}"))?;
        let server = start_server(
            bin,
            dir,
            kib,
            &o.out.join(format!("intake-server-{kib}.log")),
        )?;
        let addr = server.addr.clone();
        let bodies: Arc<Vec<Vec<u8>>> =
            Arc::new(json.iter().map(|b| http_request(&addr, b)).collect());
        smoke(&addr, &json[0]).await?;
        let default = if kib == Settings::default().receipts.argon2_memory_kib {
            " (default)"
        } else {
            ""
        };
        // Warm-up, then maximum throughput.
        closed_loop(&addr, &bodies, Duration::from_secs(1), 32).await?;
        let pid = server.child.id();
        for &conns in &o.wrk_conns {
            let cpu0 = cpu_secs(pid);
            let mut max = match &wrk {
                Some(w) => run_wrk(
                    w,
                    &script,
                    &addr,
                    o.dur(),
                    conns,
                    &o.out.join(format!("intake-wrk-{kib}-c{conns}.txt")),
                )?,
                None => closed_loop(&addr, &bodies, o.dur(), conns).await?,
            };
            note_cpu(&mut max, cpu0, cpu_secs(pid));
            max.what = format!(
                "HTTP max: `POST /api/v1/tips`, argon2 m={kib} KiB{default}, {conns} connections"
            );
            rows.push(max);
        }
        // Let the server drain whatever wrk left in flight.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let cpu0 = cpu_secs(pid);
        let (mut p, _) = paced(&addr, &bodies, o.rate, o.dur(), 128).await?;
        note_cpu(&mut p, cpu0, cpu_secs(pid));
        p.what = format!("HTTP paced {:.0}/s, argon2 m={kib} KiB{default}", o.rate);
        rows.push(p);
        drop(server);
    }
    Ok(rows)
}
