//! The immigration pages through the router on every available backend: a
//! CSV with a broken row stores nothing and names the row and field (in
//! English and Khmer); a good CSV is counted; an order and a deportation
//! executing it; the embassy export's CSV; an analyst is refused (403) and
//! a provincial clerk sees only their province.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, get, post_form, signed_in};
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends, stored_departures, stored_deportation_orders};

/// The import form with the CSV sent as an uploaded file.
fn upload(cookie: &str, csrf: &str, file: &str) -> Request<Body> {
    let b = "vigilboundaryImmig42";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"departures.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{b}--\r\n"
    );
    Request::post("/staff/immigration/import?lang=en")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        )
        .header(header::HOST, "vigil.test")
        .body(Body::from(body))
        .expect("request")
}

const HEADER: &str = "name,nationality,passport,date_of_birth,departed_on,port\n";

#[tokio::test]
async fn immigration_pages_import_record_and_export() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let (cookie, csrf) = signed_in(v, "dara", Role::Immigration, Jurisdiction::National).await;

        let r = call(&app, get("/staff/immigration?lang=en", &cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("id=\"nav-immigration\""));
        for form in ["order-form", "departure-form", "import-form", "export-form"] {
            assert!(r.body.contains(&format!("id=\"{form}\"")), "{form}");
        }
        assert!(r.body.contains("id=\"no-departures\""));

        // A broken row: nothing stored, the row and field named.
        let broken = format!(
            "{HEADER}Zhang Wei,CN,E11111111,1990-01-02,2026-03-01,KTI\n\
             Li Na,CHN,,,2026-03-02,KOS\n\
             Tran Thi B,VN,,,2026-03-02,BAVET\n"
        );
        let r = call(&app, upload(&cookie, &csrf, &broken)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"import-error\""), "{}", r.body);
        assert!(r.body.contains("Row 3, nationality"), "{}", r.body);
        assert!(r.body.contains("not a country code"), "{}", r.body);
        assert!(!r.body.contains("Row 2,"), "good rows are not named");
        assert!(stored_departures(v).await.is_empty(), "nothing stored");
        // In Khmer, the same row in Khmer words.
        let mut km = upload(&cookie, &csrf, &broken);
        *km.uri_mut() = "/staff/immigration/import?lang=km".parse().unwrap();
        let r = call(&app, km).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("ជួរទី 3, nationality"), "{}", r.body);

        // A good file: counted.
        let good = broken.replace("CHN", "CN");
        let r = call(&app, upload(&cookie, &csrf, &good)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get("/staff/immigration?lang=en&imported=3", &cookie)).await;
        assert!(r.body.contains("3 departures were imported"), "{}", r.body);
        assert!(r.body.contains("id=\"total-voluntary\">3<"), "{}", r.body);
        assert!(
            r.body
                .contains("data-nationality=\"CN\"><td>China</td><td>0</td><td>2</td>")
        );
        assert!(r.body.contains("Zhang Wei"));

        // An order, then the deportation that executes it.
        let order = [
            ("csrf", csrf.as_str()),
            ("ref", "DO-2026-77"),
            ("name", "Wang Fang"),
            ("passport", "E99999999"),
            ("date_of_birth", "1992-07-08"),
            ("nationality", "cn"),
            ("issued_on", "2026-03-03"),
            ("authority", "General Department of Immigration"),
            ("province_code", "12"),
        ];
        let r = call(
            &app,
            post_form("/staff/immigration/orders", &cookie, &order),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let orders = stored_deportation_orders(v).await;
        let id = orders[0].id.to_string();
        let mut dep = vec![
            ("csrf", csrf.as_str()),
            ("kind", "deported"),
            ("order", id.as_str()),
            ("departed_on", "2026-03-05"),
            ("port", "ATLANTIS"),
        ];
        let r = call(
            &app,
            post_form("/staff/immigration/departures?lang=en", &cookie, &dep),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"port\""), "{}", r.body);
        dep[4].1 = "KTI";
        let r = call(
            &app,
            post_form("/staff/immigration/departures", &cookie, &dep),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, get("/staff/immigration?lang=en", &cookie)).await;
        assert!(r.body.contains("id=\"total-deported\">1<"), "{}", r.body);
        assert!(r.body.contains("Executed"), "{}", r.body);

        // The embassy export.
        let r = call(
            &app,
            get(
                "/staff/immigration/export.csv?nationality=cn&from=2026-03-01&to=2026-03-31",
                &cookie,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.headers.get(header::CONTENT_TYPE).unwrap(),
            "text/csv; charset=utf-8"
        );
        assert!(
            r.headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains("departures-CN-2026-03-01-2026-03-31.csv")
        );
        let lines: Vec<&str> = r.body.lines().collect();
        assert_eq!(
            lines[0],
            "record,reference,kind,status,name,passport,date_of_birth,nationality,date,port,authority"
        );
        assert_eq!(lines.len(), 1 + 3 + 1, "{}", r.body);
        assert!(
            r.body
                .contains(",voluntary,,Zhang Wei,E11111111,1990-01-02,CN,2026-03-01,KTI,")
        );
        assert!(r.body.contains(",voluntary,,Li Na,,,CN,2026-03-02,KOS,"));
        assert!(
            r.body
                .contains(",deported,,Wang Fang,E99999999,1992-07-08,CN,2026-03-05,KTI,")
        );
        assert!(r.body.contains(
            "order,DO-2026-77,deportation_order,executed,Wang Fang,E99999999,1992-07-08,CN,2026-03-03,,General Department of Immigration"
        ));
        assert!(!r.body.contains("Tran Thi B"));

        // An analyst: 403 everywhere, nothing written.
        let (acookie, acsrf) = signed_in(v, "vicheka", Role::Analyst, Jurisdiction::National).await;
        let r = call(&app, get("/staff/immigration", &acookie)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(!r.body.contains("Zhang Wei"));
        let r = call(
            &app,
            get(
                "/staff/immigration/export.csv?nationality=CN&from=2026-03-01&to=2026-03-31",
                &acookie,
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(!r.body.contains("Zhang Wei"));
        let r = call(&app, upload(&acookie, &acsrf, &good)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = call(&app, get("/staff/operations", &acookie)).await;
        assert!(!r.body.contains("id=\"nav-immigration\""));

        // A clerk of province 18 (KOS) sees KOS's departure only.
        let (kcookie, _) = signed_in(
            v,
            "sok",
            Role::Immigration,
            Jurisdiction::Provinces(vec!["18".into()]),
        )
        .await;
        let r = call(&app, get("/staff/immigration?lang=en", &kcookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("Li Na") && !r.body.contains("Zhang Wei"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("DO-2026-77"), "another province's order");
        assert_eq!(stored_departures(v).await.len(), 4);
    }
}
