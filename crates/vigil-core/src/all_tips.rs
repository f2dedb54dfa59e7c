//! Every stored tip, a thousand at a time in id order. Reading by ranges of
//! ids costs the same for every page; paging the queue's ordering with an
//! offset sorted the whole table for each page (quadratic: over a minute at
//! 100,000 tips).

use vigil_domain::TipId;
use vigil_store::TipRow;

use crate::{CoreError, Vigil};

const PAGE: i64 = 1000;
/// Pages in a row with no tip before the walk gives up (a gap of a million
/// ids: tips deleted or ids skipped by rolled-back inserts).
const MAX_EMPTY: u32 = 1000;

/// A walk over the tips stored when it began.
pub(crate) struct AllTips {
    next: i64,
    left: i64,
}

impl AllTips {
    /// Starts a walk over the tips stored now.
    pub(crate) async fn start(v: &Vigil) -> Result<AllTips, CoreError> {
        Ok(AllTips {
            next: 1,
            left: v.store.count_tips().await?,
        })
    }

    /// The next page, empty when every tip counted at the start was read.
    pub(crate) async fn next(&mut self, v: &Vigil) -> Result<Vec<TipRow>, CoreError> {
        let mut empty = 0;
        while self.left > 0 && empty < MAX_EMPTY {
            let ids: Vec<TipId> = (self.next..self.next + PAGE).map(TipId).collect();
            self.next += PAGE;
            let page = v.store.tips_by_ids(&ids).await?;
            if !page.is_empty() {
                self.left -= page.len() as i64;
                return Ok(page);
            }
            empty += 1;
        }
        Ok(Vec::new())
    }
}
