//! How many reports are independent of each other: reports whose texts are
//! near-duplicates (one message pasted again, a template filled in twice)
//! count once, so that one sender repeating a report cannot make a value
//! look widely reported.

use crate::neardup::{NearDupConfig, near_duplicates};
use crate::uf::UnionFind;

/// The groups of `texts` (`(id, text)`) that are near-duplicates of each
/// other, each as the positions of its members in `texts`, in order of
/// their first member. Every text is in exactly one group.
pub fn independent_groups(texts: &[(i64, &str)]) -> Vec<Vec<usize>> {
    let pairs = near_duplicates(texts, &NearDupConfig::default());
    let position: std::collections::HashMap<i64, usize> = texts
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let mut uf = UnionFind::new(texts.len());
    for p in pairs {
        if let (Some(&a), Some(&b)) = (position.get(&p.a), position.get(&p.b)) {
            uf.union(a, b);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for i in 0..texts.len() {
        let root = uf.find(i);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_count_once_and_different_reports_each() {
        let ad = "Urgent: customer service job in Sihanoukville, salary 2000 USD, \
                  free flight and visa, contact Telegram @jobs_asia now";
        let ad_again = "URGENT: customer service job in Sihanoukville, salary 2000 USD, \
                        free flight and visa, contact Telegram @jobs_asia now!!";
        let witness = "My brother was taken to a building near the casino and they \
                       kept his passport, the boss uses @jobs_asia";
        let other = "I saw @jobs_asia post job offers in our village group, many \
                     young people from Prey Veng answered";
        let texts = [(1, ad), (2, witness), (3, ad_again), (4, other)];
        let groups = independent_groups(&texts);
        assert_eq!(groups, vec![vec![0, 2], vec![1], vec![3]]);
        assert!(independent_groups(&[]).is_empty());
        assert_eq!(independent_groups(&[(9, "")]), vec![vec![0]]);
    }
}
