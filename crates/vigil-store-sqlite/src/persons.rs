//! Persons met, their records, linkage reviews and figures: written once in
//! `vigil-store-sql`; this forwards to it.

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::StaffId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    NewPersonRecord, PersonCandidate, PersonFigures, PersonRecordRow, PersonReviewRow,
    PersonsStore, StoreError,
};

use crate::SqliteStore;

#[async_trait]
impl PersonsStore for SqliteStore {
    async fn insert_person_records(
        &self,
        operation: Option<i64>,
        records: &[NewPersonRecord],
        entry: NewAuditEntry,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        self.sql
            .insert_person_records(operation, records, entry)
            .await
    }

    async fn person_candidates(
        &self,
        keys: &[Vec<u8>],
        limit: i64,
    ) -> Result<Vec<PersonCandidate>, StoreError> {
        self.sql.person_candidates(keys, limit).await
    }

    async fn resolve_person(&self, id: i64) -> Result<i64, StoreError> {
        self.sql.resolve_person(id).await
    }

    async fn person_record(&self, id: i64) -> Result<PersonRecordRow, StoreError> {
        self.sql.person_record(id).await
    }

    async fn person_records(&self, person: i64) -> Result<Vec<PersonRecordRow>, StoreError> {
        self.sql.person_records(person).await
    }

    async fn operation_person_records(
        &self,
        operation: i64,
    ) -> Result<Vec<PersonRecordRow>, StoreError> {
        self.sql.operation_person_records(operation).await
    }

    async fn acknowledge_victim(
        &self,
        record: i64,
        by: StaffId,
        note: &str,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.acknowledge_victim(record, by, note, entry).await
    }

    async fn person_reviews(
        &self,
        status: &str,
        provinces: Option<&[String]>,
    ) -> Result<Vec<PersonReviewRow>, StoreError> {
        self.sql.person_reviews(status, provinces).await
    }

    async fn person_review(&self, id: i64) -> Result<PersonReviewRow, StoreError> {
        self.sql.person_review(id).await
    }

    async fn decide_person_review(
        &self,
        id: i64,
        same: bool,
        by: StaffId,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.sql.decide_person_review(id, same, by, entry).await
    }

    async fn person_figures(
        &self,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        provinces: Option<&[String]>,
    ) -> Result<PersonFigures, StoreError> {
        self.sql.person_figures(from, to, provinces).await
    }
}
