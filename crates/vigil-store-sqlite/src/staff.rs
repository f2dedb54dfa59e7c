//! Staff accounts, their tokens, and the staff's tip list.

use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::OffsetDateTime;
use vigil_domain::audit::NewAuditEntry;
use vigil_domain::{Jurisdiction, Role, StaffId};
use vigil_store::{
    NewStaff, StaffRow, StaffUpdate, StoreError, TipQuery, TipRow, TokenPurpose, TokenRow,
};

use crate::SqliteStore;
use crate::rows::{self, from_nanos, map_err, nanos, tip_from_row};

fn staff_from_row(row: &SqliteRow) -> Result<StaffRow, StoreError> {
    let role: String = row.try_get("role").map_err(map_err)?;
    let jurisdiction: String = row.try_get("jurisdiction").map_err(map_err)?;
    Ok(StaffRow {
        id: StaffId(row.try_get("id").map_err(map_err)?),
        username: row.try_get("username").map_err(map_err)?,
        display_name: row.try_get("display_name").map_err(map_err)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Other(format!("bad role {role}")))?,
        jurisdiction: Jurisdiction::from_stored(&jurisdiction),
        password_hash: row.try_get("password_hash").map_err(map_err)?,
        totp_secret_enc: row.try_get("totp_secret_enc").map_err(map_err)?,
        totp_last_step: row.try_get("totp_last_step").map_err(map_err)?,
        disabled: row.try_get::<i64, _>("disabled").map_err(map_err)? != 0,
        created_at: from_nanos(row.try_get("created_at").map_err(map_err)?)?,
    })
}

fn token_from_row(row: &SqliteRow) -> Result<TokenRow, StoreError> {
    let purpose: String = row.try_get("purpose").map_err(map_err)?;
    let expires: Option<i64> = row.try_get("expires_at").map_err(map_err)?;
    Ok(TokenRow {
        hash: row.try_get("hash").map_err(map_err)?,
        staff_id: StaffId(row.try_get("staff_id").map_err(map_err)?),
        purpose: TokenPurpose::parse(&purpose)
            .ok_or_else(|| StoreError::Other(format!("bad token purpose {purpose}")))?,
        name: row.try_get("name").map_err(map_err)?,
        csrf: row.try_get("csrf").map_err(map_err)?,
        created_at: from_nanos(row.try_get("created_at").map_err(map_err)?)?,
        last_seen_at: from_nanos(row.try_get("last_seen_at").map_err(map_err)?)?,
        expires_at: expires.map(from_nanos).transpose()?,
    })
}

impl SqliteStore {
    pub(crate) async fn do_list_tips(
        &self,
        q: &TipQuery,
    ) -> Result<(Vec<TipRow>, i64), StoreError> {
        fn filter(b: &mut QueryBuilder<Sqlite>, q: &TipQuery) {
            b.push(" WHERE 1 = 1");
            if let Some(list) = &q.provinces {
                b.push(" AND province_code IN (SELECT value FROM json_each(");
                b.push_bind(serde_json::to_string(list).unwrap_or_else(|_| "[]".into()));
                b.push("))");
            }
            if let Some(s) = q.status {
                b.push(" AND status = ").push_bind(s.as_str());
            }
        }
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM tips");
        filter(&mut count, q);
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        let mut list = QueryBuilder::<Sqlite>::new("SELECT * FROM tips");
        filter(&mut list, q);
        list.push(" ORDER BY danger DESC, received_at DESC, id DESC LIMIT ")
            .push_bind(q.limit)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let found = list.build().fetch_all(&self.read).await.map_err(map_err)?;
        let tips = found.iter().map(tip_from_row).collect::<Result<_, _>>()?;
        Ok((tips, total))
    }

    pub(crate) async fn do_create_staff(
        &self,
        s: NewStaff,
        audit: NewAuditEntry,
    ) -> Result<StaffId, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = OffsetDateTime::now_utc();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff (username, display_name, role, jurisdiction, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&s.username)
        .bind(&s.display_name)
        .bind(s.role.as_str())
        .bind(s.jurisdiction.to_stored())
        .bind(nanos(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut audit = audit;
        audit.object = format!("staff:{id}");
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), now, audit).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(StaffId(id))
    }

    pub(crate) async fn do_update_staff(
        &self,
        id: StaffId,
        u: StaffUpdate,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let mut b = QueryBuilder::<Sqlite>::new("UPDATE staff SET id = id");
        if let Some(p) = &u.password_hash {
            b.push(", password_hash = ").push_bind(p.clone());
        }
        if let Some(t) = &u.totp_secret_enc {
            b.push(", totp_secret_enc = ").push_bind(t.clone());
        }
        if let Some(step) = u.totp_last_step {
            b.push(", totp_last_step = ").push_bind(step);
        }
        if let Some(d) = u.disabled {
            b.push(", disabled = ").push_bind(i64::from(d));
        }
        b.push(" WHERE id = ").push_bind(id.0);
        let done = b.build().execute(&mut *tx).await.map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let prev = rows::last_audit(&mut tx).await?;
        rows::insert_audit(&mut tx, prev.as_ref(), OffsetDateTime::now_utc(), audit).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn do_staff(&self, id: StaffId) -> Result<StaffRow, StoreError> {
        let row = sqlx::query("SELECT * FROM staff WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        staff_from_row(&row)
    }

    pub(crate) async fn do_staff_by_username(
        &self,
        username: &str,
    ) -> Result<Option<StaffRow>, StoreError> {
        let row = sqlx::query("SELECT * FROM staff WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.read)
            .await
            .map_err(map_err)?;
        row.as_ref().map(staff_from_row).transpose()
    }

    pub(crate) async fn do_list_staff(&self) -> Result<Vec<StaffRow>, StoreError> {
        let found = sqlx::query("SELECT * FROM staff ORDER BY username")
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        found.iter().map(staff_from_row).collect()
    }

    pub(crate) async fn do_put_token(&self, t: TokenRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff_tokens
                (hash, staff_id, purpose, name, csrf, created_at, last_seen_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&t.hash)
        .bind(t.staff_id.0)
        .bind(t.purpose.as_str())
        .bind(&t.name)
        .bind(&t.csrf)
        .bind(nanos(t.created_at))
        .bind(nanos(t.last_seen_at))
        .bind(t.expires_at.map(nanos))
        .execute(&self.write)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn do_token(
        &self,
        hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<TokenRow>, StoreError> {
        let row = sqlx::query(
            "SELECT * FROM staff_tokens WHERE hash = ? AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(hash)
        .bind(nanos(now))
        .fetch_optional(&self.read)
        .await
        .map_err(map_err)?;
        row.as_ref().map(token_from_row).transpose()
    }

    pub(crate) async fn do_touch_token(
        &self,
        hash: &[u8],
        last_seen_at: OffsetDateTime,
        expires_at: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE staff_tokens SET last_seen_at = ?, expires_at = ? WHERE hash = ?")
            .bind(nanos(last_seen_at))
            .bind(expires_at.map(nanos))
            .bind(hash)
            .execute(&self.write)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn do_delete_token(&self, hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_tokens WHERE hash = ?")
            .bind(hash)
            .execute(&self.write)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn do_delete_staff_tokens(
        &self,
        staff: StaffId,
        purposes: &[TokenPurpose],
    ) -> Result<u64, StoreError> {
        let names: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
        let done = sqlx::query(
            "DELETE FROM staff_tokens
             WHERE staff_id = ? AND purpose IN (SELECT value FROM json_each(?))",
        )
        .bind(staff.0)
        .bind(serde_json::to_string(&names).map_err(|e| StoreError::Other(e.to_string()))?)
        .execute(&self.write)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    pub(crate) async fn do_delete_expired_tokens(
        &self,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM staff_tokens WHERE expires_at <= ?")
            .bind(nanos(now))
            .execute(&self.write)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }
}
