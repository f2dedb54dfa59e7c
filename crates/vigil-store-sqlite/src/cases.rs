//! Cases, defendants, charges, hearings and verdicts: written once in
//! `vigil-store-sql`; this forwards to it.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    CaseFigures, CaseRow, CasesStore, ChargeRow, DefendantRow, HearingRow, NewCase, NewCharge,
    NewHearing, StoreError,
};

use crate::SqliteStore;

#[async_trait]
impl CasesStore for SqliteStore {
    async fn create_case(&self, case: &NewCase, entry: NewAuditEntry) -> Result<i64, StoreError> {
        self.sql.create_case(case, entry).await
    }

    async fn case(&self, id: i64) -> Result<CaseRow, StoreError> {
        self.sql.case(id).await
    }

    async fn cases(
        &self,
        provinces: Option<&[String]>,
        stage: Option<&str>,
    ) -> Result<Vec<CaseRow>, StoreError> {
        self.sql.cases(provinces, stage).await
    }

    async fn link_case(
        &self,
        case: i64,
        operations: &[i64],
        items: &[i64],
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.link_case(case, operations, items, entry).await
    }

    async fn add_defendant(
        &self,
        case: i64,
        person: i64,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.add_defendant(case, person, entry).await
    }

    async fn defendants(&self, case: i64) -> Result<Vec<DefendantRow>, StoreError> {
        self.sql.defendants(case).await
    }

    async fn add_charge(&self, c: &NewCharge, entry: NewAuditEntry) -> Result<i64, StoreError> {
        self.sql.add_charge(c, entry).await
    }

    async fn charges(&self, case: i64) -> Result<Vec<ChargeRow>, StoreError> {
        self.sql.charges(case).await
    }

    async fn set_verdict(
        &self,
        charge: i64,
        verdict: &str,
        on: Date,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.set_verdict(charge, verdict, on, entry).await
    }

    async fn set_outcome(
        &self,
        case: i64,
        person: i64,
        outcome: &str,
        sentence: &str,
        on: Option<Date>,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql
            .set_outcome(case, person, outcome, sentence, on, entry)
            .await
    }

    async fn add_hearing(&self, h: &NewHearing, entry: NewAuditEntry) -> Result<i64, StoreError> {
        self.sql.add_hearing(h, entry).await
    }

    async fn hearings(&self, case: i64) -> Result<Vec<HearingRow>, StoreError> {
        self.sql.hearings(case).await
    }

    async fn set_stage(
        &self,
        case: i64,
        from: &str,
        to: &str,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.set_stage(case, from, to, entry).await
    }

    async fn case_figures(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        provinces: Option<&[String]>,
    ) -> Result<CaseFigures, StoreError> {
        self.sql.case_figures(from, to, provinces).await
    }
}
