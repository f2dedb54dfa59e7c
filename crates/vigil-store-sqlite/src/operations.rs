//! Operations, networks, seized items and custody chains (migration 0013):
//! the body is written once in `vigil-store-sql`; this forwards to it.

use async_trait::async_trait;
use vigil_domain::FacilityId;
use vigil_domain::audit::NewAuditEntry;
use vigil_store::{
    CustodyEntryRow, NetworkRow, NewOperation, NewSeizedItem, OperationRow, OperationsStore,
    SeizedItemRow, StoreError,
};

use crate::SqliteStore;

#[async_trait]
impl OperationsStore for SqliteStore {
    async fn create_network(
        &self,
        name: &str,
        leaders: &[String],
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.sql.create_network(name, leaders, entry).await
    }

    async fn network(&self, id: i64) -> Result<NetworkRow, StoreError> {
        self.sql.network(id).await
    }

    async fn create_operation(
        &self,
        op: &NewOperation,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        self.sql.create_operation(op, entry).await
    }

    async fn update_operation(
        &self,
        id: i64,
        op: &NewOperation,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.update_operation(id, op, entry).await
    }

    async fn operation(&self, id: i64) -> Result<OperationRow, StoreError> {
        self.sql.operation(id).await
    }

    async fn operations(
        &self,
        provinces: Option<&[String]>,
        facility: Option<FacilityId>,
    ) -> Result<Vec<OperationRow>, StoreError> {
        self.sql.operations(provinces, facility).await
    }

    async fn dismantle_network(
        &self,
        network: i64,
        operation: i64,
        evidence: &str,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql
            .dismantle_network(network, operation, evidence, entry)
            .await
    }

    async fn insert_seized_items(
        &self,
        operation: i64,
        items: &[NewSeizedItem],
        entry: NewAuditEntry,
    ) -> Result<Vec<i64>, StoreError> {
        self.sql.insert_seized_items(operation, items, entry).await
    }

    async fn append_custody(
        &self,
        item: i64,
        e: &CustodyEntryRow,
        holder: &str,
        entry: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.sql.append_custody(item, e, holder, entry).await
    }

    async fn seized_item(
        &self,
        id: i64,
    ) -> Result<(SeizedItemRow, Vec<CustodyEntryRow>), StoreError> {
        self.sql.seized_item(id).await
    }

    async fn operation_items(&self, operation: i64) -> Result<Vec<SeizedItemRow>, StoreError> {
        self.sql.operation_items(operation).await
    }
}
