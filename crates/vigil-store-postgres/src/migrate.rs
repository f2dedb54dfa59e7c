//! The schema's migrations: this backend's own (1 to 16, as first applied)
//! and those written once in `vigil_store_sql::migrations`, rendered here.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};
use vigil_store_sql::Dialect;

/// Every migration, in order.
pub fn migrator() -> Migrator {
    let mut m = sqlx::migrate!("./migrations");
    let mut all = m.migrations.to_vec();
    all.extend(
        vigil_store_sql::migrations::shared(Dialect::Postgres)
            .into_iter()
            .map(|x| {
                let sql = AssertSqlSafe(x.sql).into_sql_str();
                Migration::new(
                    x.version,
                    x.description.into(),
                    MigrationType::Simple,
                    sql,
                    false,
                )
            }),
    );
    all.sort();
    m.migrations = Cow::Owned(all);
    m
}
