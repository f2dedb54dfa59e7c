//! Shared by the browser tests: chromedriver, a Chromium session, page helpers.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// How long to wait for a page or a script.
pub const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// chromedriver

pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A chromedriver process of our own, in its own process group; stopped (with
/// any browser it left behind) when dropped.
pub struct Driver {
    child: Child,
    /// The driver's address.
    pub url: String,
}

impl Driver {
    /// Starts chromedriver on a free port.
    pub fn start(exe: &Path) -> Driver {
        use std::os::unix::process::CommandExt;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(exe)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let mut d = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = d.child.try_wait() {
                panic!("chromedriver exited early: {status}");
            }
            assert!(
                start.elapsed() < WAIT,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        d
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group is the driver's own (process_group(0) above): this reaches a
        // browser a failed test did not close, and nothing else.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new browser session with a fresh profile; JavaScript on or off.
pub async fn browser(driver: &Driver, chromium: &Path, profile: &Path, js: bool) -> Client {
    let prefs = if js {
        json!({})
    } else {
        json!({ "profile.managed_default_content_settings.javascript": 2 })
    };
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": { "pageLoad": 30_000, "script": 15_000, "implicit": 0 },
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=900,2600",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": prefs,
        },
    });
    let Value::Object(caps) = caps else {
        unreachable!("an object literal")
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a chromium session")
}

// ---------------------------------------------------------------------------
// page helpers

pub async fn find(c: &Client, css: &str) -> Element {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
}

pub async fn text_of(c: &Client, css: &str) -> String {
    find(c, css)
        .await
        .text()
        .await
        .expect("text")
        .trim()
        .to_string()
}

pub async fn exists(c: &Client, css: &str) -> bool {
    !c.find_all(Locator::Css(css))
        .await
        .expect("find_all")
        .is_empty()
}

/// The values of a select's options, the empty "choose" one included.
pub async fn option_values(c: &Client, select: &str) -> Vec<String> {
    let mut out = Vec::new();
    for o in c
        .find_all(Locator::Css(&format!("{select} option")))
        .await
        .expect("options")
    {
        out.push(o.attr("value").await.expect("value").unwrap_or_default());
    }
    out
}

pub async fn selected_value(c: &Client, select: &str) -> String {
    find(c, &format!("{select} option:checked"))
        .await
        .attr("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

/// Clicks a submit button and waits until the next page replaced this one.
pub async fn click_and_load(c: &Client, button: &str) {
    let old = find(c, "html").await;
    find(c, button).await.click().await.expect("click");
    let start = Instant::now();
    loop {
        match old.tag_name().await {
            Err(e) if e.is_stale_element_reference() || e.is_no_such_element() => break,
            // Chromium sometimes reports a replaced page this way instead.
            Err(e) if e.to_string().contains("does not belong to the document") => break,
            Err(e) => panic!("after clicking {button}: {e}"),
            Ok(_) => {}
        }
        assert!(
            start.elapsed() < WAIT,
            "clicking {button} loaded no new page"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !exists(c, "#form-error").await,
        "after {button} the page shows an error: {}",
        text_of(c, "#form-error").await
    );
}

/// chromedriver and a Chromium binary, if both are on PATH; under CI their
/// absence is a failure.
pub fn tools() -> Option<(PathBuf, PathBuf)> {
    let under_ci = std::env::var_os("CI").is_some();
    let driver = on_path("chromedriver");
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| on_path(n));
    match (driver, chromium) {
        (Some(d), Some(c)) => Some((d, c)),
        _ => {
            assert!(
                !under_ci,
                "chromedriver and chromium must be on PATH under CI (Debian: apt install chromium chromium-driver)"
            );
            eprintln!(
                "SKIPPED browser test: chromedriver or chromium not on PATH \
                 (Debian: apt install chromium chromium-driver)"
            );
            None
        }
    }
}

/// Waits until an element matching `css` is on the page.
pub async fn wait_for(c: &Client, css: &str) {
    let start = Instant::now();
    while !exists(c, css).await {
        assert!(start.elapsed() < WAIT, "{css} never appeared");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Signs in on the sign-in form the browser was sent to: the name and
/// password, then the second factor's code, made by `code` once the code
/// form is shown.
pub async fn sign_in(c: &Client, username: &str, password: &str, code: impl FnOnce() -> String) {
    assert!(exists(c, "#login-form").await, "sent to sign in");
    find(c, "#username")
        .await
        .send_keys(username)
        .await
        .expect("type");
    find(c, "#password")
        .await
        .send_keys(password)
        .await
        .expect("type");
    click_and_load(c, "#sign-in").await;
    find(c, "#code")
        .await
        .send_keys(&code())
        .await
        .expect("type");
    click_and_load(c, "#code-form button[type=submit]").await;
}

/// The page's width against the window's, in CSS pixels: a page that
/// scrolls sideways is wider than its window (the page's width is rounded
/// up to a whole pixel, so one pixel more is rounding, not scrolling).
pub async fn page_and_window_width(c: &Client) -> (f64, f64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    let a = v.as_array().expect("two widths");
    (
        a[0].as_f64().expect("page width"),
        a[1].as_f64().expect("window width"),
    )
}
