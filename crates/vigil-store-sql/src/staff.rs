//! Staff accounts and their tokens.

use async_trait::async_trait;
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{Jurisdiction, Role, StaffId};
use vigil_store::{
    NewStaff, StaffRow, StaffStore, StaffUpdate, StoreError, TokenPurpose, TokenRow,
};

use crate::audit;
use crate::backend::Tx;
use crate::store::SqlStore;
use crate::value::{Row, Sql, Value, sql};

fn staff_from_row(row: &Row) -> Result<StaffRow, StoreError> {
    let role: String = row.get("role")?;
    let jurisdiction: String = row.get("jurisdiction")?;
    Ok(StaffRow {
        id: StaffId(row.get("id")?),
        username: row.get("username")?,
        display_name: row.get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Other(format!("bad role {role}")))?,
        jurisdiction: Jurisdiction::from_stored(&jurisdiction),
        password_hash: row.get("password_hash")?,
        totp_secret_enc: row.get("totp_secret_enc")?,
        totp_last_step: row.get("totp_last_step")?,
        disabled: row.get("disabled")?,
        created_at: row.get("created_at")?,
    })
}

fn token_from_row(row: &Row) -> Result<TokenRow, StoreError> {
    let purpose: String = row.get("purpose")?;
    Ok(TokenRow {
        hash: row.get("hash")?,
        staff_id: StaffId(row.get("staff_id")?),
        purpose: TokenPurpose::parse(&purpose)
            .ok_or_else(|| StoreError::Other(format!("bad token purpose {purpose}")))?,
        name: row.get("name")?,
        csrf: row.get("csrf")?,
        created_at: row.get("created_at")?,
        last_seen_at: row.get("last_seen_at")?,
        expires_at: row.get("expires_at")?,
    })
}

/// Ends an account's tokens of these purposes.
async fn end_tokens(
    tx: &mut dyn Tx,
    staff: StaffId,
    purposes: &[TokenPurpose],
) -> Result<(), StoreError> {
    if purposes.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = purposes.iter().map(|p| p.as_str().to_string()).collect();
    tx.execute(
        sql("DELETE FROM staff_tokens WHERE staff_id = $1 AND purpose = ANY($2)")
            .bind(staff.0)
            .bind(names),
    )
    .await?;
    Ok(())
}

impl SqlStore {
    /// Runs one write statement in its own transaction; the rows it changed.
    pub(crate) async fn write_one(&self, q: Sql) -> Result<u64, StoreError> {
        let mut tx = self.db().begin().await?;
        let n = tx.execute(q).await?;
        tx.commit().await?;
        Ok(n)
    }
}

#[async_trait]
impl StaffStore for SqlStore {
    async fn create_staff(&self, s: NewStaff, audit: NewAuditEntry) -> Result<StaffId, StoreError> {
        let mut tx = self.db().begin().await?;
        let now = OffsetDateTime::now_utc();
        let id: i64 = tx
            .fetch_one(
                sql(
                    "INSERT INTO staff (username, display_name, role, jurisdiction, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&s.username)
                .bind(&s.display_name)
                .bind(s.role.as_str())
                .bind(s.jurisdiction.to_stored())
                .bind(now),
            )
            .await?
            .get(0)?;
        let mut audit = audit;
        audit.object = format!("staff:{id}");
        audit::append(&mut *tx, now, audit).await?;
        tx.commit().await?;
        Ok(StaffId(id))
    }

    async fn update_staff(
        &self,
        id: StaffId,
        u: StaffUpdate,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut sets = Vec::new();
        let mut args = Vec::new();
        let mut set = |col: &str, v: Value| {
            args.push(v);
            sets.push(format!(", {col} = ${}", args.len()));
        };
        if let Some(p) = &u.password_hash {
            set("password_hash", Value::Text(p.clone()));
        }
        if let Some(t) = &u.totp_secret_enc {
            set("totp_secret_enc", Value::Bytes(t.clone()));
        }
        if let Some(step) = u.totp_last_step {
            set("totp_last_step", Value::I64(Some(step)));
        }
        if let Some(d) = u.disabled {
            set("disabled", Value::Bool(Some(d)));
        }
        if let Some(r) = u.role {
            set("role", Value::Text(Some(r.as_str().to_string())));
        }
        if let Some(j) = &u.jurisdiction {
            set("jurisdiction", Value::Text(Some(j.to_stored())));
        }
        args.push(Value::I64(Some(id.0)));
        let text = format!(
            "UPDATE staff SET id = id{} WHERE id = ${}",
            sets.concat(),
            args.len()
        );
        let mut tx = self.db().begin().await?;
        let done = tx
            .execute(Sql {
                text: text.into(),
                args,
            })
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        end_tokens(&mut *tx, id, &u.end_tokens).await?;
        audit::append(&mut *tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await
    }

    async fn staff(&self, id: StaffId) -> Result<StaffRow, StoreError> {
        let row = self
            .db()
            .fetch_one(sql("SELECT * FROM staff WHERE id = $1").bind(id.0))
            .await?;
        staff_from_row(&row)
    }

    async fn staff_by_username(&self, username: &str) -> Result<Option<StaffRow>, StoreError> {
        let row = self
            .db()
            .fetch_optional(sql("SELECT * FROM staff WHERE username = $1").bind(username))
            .await?;
        row.as_ref().map(staff_from_row).transpose()
    }

    async fn list_staff(&self) -> Result<Vec<StaffRow>, StoreError> {
        // Byte order on both: SQLite's default collation is already binary.
        let found = self
            .db()
            .fetch_all(sql(self.dialect().pick(
                "SELECT * FROM staff ORDER BY username",
                "SELECT * FROM staff ORDER BY username COLLATE \"C\"",
            )))
            .await?;
        found.iter().map(staff_from_row).collect()
    }

    async fn put_token(
        &self,
        t: TokenRow,
        replace: &[TokenPurpose],
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        end_tokens(&mut *tx, t.staff_id, replace).await?;
        tx.execute(
            sql("INSERT INTO staff_tokens
                    (hash, staff_id, purpose, name, csrf, created_at, last_seen_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&t.hash)
            .bind(t.staff_id.0)
            .bind(t.purpose.as_str())
            .bind(&t.name)
            .bind(&t.csrf)
            .bind(t.created_at)
            .bind(t.last_seen_at)
            .bind(t.expires_at),
        )
        .await?;
        audit::append(&mut *tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await
    }

    async fn token(
        &self,
        hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<TokenRow>, StoreError> {
        let row = self
            .db()
            .fetch_optional(
                sql("SELECT * FROM staff_tokens
                     WHERE hash = $1 AND (expires_at IS NULL OR expires_at > $2)")
                .bind(hash)
                .bind(now),
            )
            .await?;
        row.as_ref().map(token_from_row).transpose()
    }

    async fn touch_token(
        &self,
        hash: &[u8],
        last_seen_at: OffsetDateTime,
        expires_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        self.write_one(
            sql("UPDATE staff_tokens SET last_seen_at = $1, expires_at = $2 WHERE hash = $3")
                .bind(last_seen_at)
                .bind(expires_at)
                .bind(hash),
        )
        .await?;
        Ok(())
    }

    async fn delete_token(&self, hash: &[u8], audit: NewAuditEntry) -> Result<(), StoreError> {
        let mut tx = self.db().begin().await?;
        tx.execute(sql("DELETE FROM staff_tokens WHERE hash = $1").bind(hash))
            .await?;
        audit::append(&mut *tx, OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await
    }

    async fn delete_expired_tokens(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        self.write_one(sql("DELETE FROM staff_tokens WHERE expires_at <= $1").bind(now))
            .await
    }
}
