//! Link graphs around a facility or an observable, for the staff pages.
//!
//! Around a facility: its identifiers (from its tips within the
//! jurisdiction), and the other facilities that share them. Around an
//! observable: the facilities it was seen in, and the other identifiers two
//! or more of them share. A facility outside the principal's jurisdiction is
//! neither drawn nor counted, and only tips within it give identifiers.
//! An identifier that links two facilities the clustering kept apart is a
//! lead (as is a value an admin marked as a hub): drawn, but not a merge.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vigil_domain::{FacilityId, TipId};
use vigil_store::{ObservableMode, ObservableRow};

use crate::desk::DeskService;
use crate::staff::Principal;
use crate::{CoreError, desk};

/// Identifiers drawn around a facility, at most.
pub const MAX_IDENTIFIERS: usize = 16;
/// Facilities drawn around an observable, or outside a facility, at most.
pub const MAX_FACILITIES: usize = 24;
/// Tips looked at per identifier or facility.
const TIPS_PER: i64 = 50;

/// What a node stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A suspected facility.
    Facility {
        /// Its id.
        id: FacilityId,
        /// Its priority.
        priority: f64,
        /// Its readable name (`vigil_intel::FacilityName` as JSON; empty:
        /// none yet).
        name: String,
    },
    /// An identifier.
    Observable {
        /// Kind (`phone`, …).
        kind: String,
        /// Normalised value.
        value: String,
        /// Shared with facilities kept apart, or marked a hub: a lead.
        lead: bool,
    },
}

/// One node: what it is and which ring it sits on (0 the centre).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// 0: the centre; 1: around it; 2: outside.
    pub ring: u8,
}

/// A graph to draw: nodes and edges between their indexes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// The nodes, the centre first.
    pub nodes: Vec<Node>,
    /// Edges (index, index), each once.
    pub edges: Vec<(usize, usize)>,
    /// Something was left out to keep the drawing readable.
    pub truncated: bool,
}

impl Graph {
    fn push(&mut self, kind: NodeKind, ring: u8) -> usize {
        self.nodes.push(Node { kind, ring });
        self.nodes.len() - 1
    }

    fn link(&mut self, a: usize, b: usize) {
        let e = (a.min(b), a.max(b));
        if a != b && !self.edges.contains(&e) {
            self.edges.push(e);
        }
    }
}

/// Facilities the principal may see, remembered.
struct Visible<'a> {
    v: &'a DeskService,
    p: &'a Principal,
    seen: HashMap<FacilityId, Option<(f64, String)>>,
}

impl Visible<'_> {
    /// The facility's priority and name if it exists and lies within the
    /// jurisdiction.
    async fn get(&mut self, id: FacilityId) -> Result<Option<(f64, String)>, CoreError> {
        if let Some(x) = self.seen.get(&id) {
            return Ok(x.clone());
        }
        let x = match self.v.store.facility(id).await {
            Ok((f, _)) if self.p.jurisdiction.covers(f.province_code.as_deref()) => {
                Some((f.priority, f.name))
            }
            Ok(_) | Err(vigil_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        self.seen.insert(id, x.clone());
        Ok(x)
    }
}

/// The facilities (other than `except`) of an observable's newest tips,
/// within the jurisdiction, in id order.
async fn facilities_of(
    vis: &mut Visible<'_>,
    o: &ObservableRow,
    except: Option<FacilityId>,
) -> Result<Vec<(FacilityId, f64, String)>, CoreError> {
    let scope = vis.p.jurisdiction.provinces().map(<[String]>::to_vec);
    let tips = vis
        .v
        .store
        .related_tips(o.id, scope.as_deref(), TIPS_PER)
        .await?;
    let mut ids = BTreeSet::new();
    for t in tips {
        if let Some(f) = vis.v.store.facility_of(t).await?
            && Some(f) != except
        {
            ids.insert(f);
        }
    }
    let mut out = Vec::new();
    for f in ids {
        if let Some((priority, name)) = vis.get(f).await? {
            out.push((f, priority, name));
        }
    }
    Ok(out)
}

/// Identifiers of tips, used for linking (ignored values left out), most
/// seen first.
async fn identifiers_of(v: &DeskService, tips: &[TipId]) -> Result<Vec<ObservableRow>, CoreError> {
    let mut all: BTreeMap<(String, String), ObservableRow> = BTreeMap::new();
    for t in tips {
        for o in v.store.tip_observables(*t).await? {
            if o.mode != ObservableMode::Ignore {
                all.insert((o.kind.clone(), o.value.clone()), o);
            }
        }
    }
    let mut list: Vec<ObservableRow> = all.into_values().collect();
    list.sort_by(|a, b| b.tips.cmp(&a.tips).then(a.id.cmp(&b.id)));
    Ok(list)
}

/// The graph around a facility (which must be visible); audited as a read.
pub async fn around_facility(
    v: &DeskService,
    p: &Principal,
    id: FacilityId,
) -> Result<Graph, CoreError> {
    let view = desk::facility(v, p, id).await?;
    let tips: Vec<TipId> = view.tips.iter().map(|t| t.id).collect();
    let idents = identifiers_of(v, &tips).await?;
    let mut g = Graph::default();
    let centre = g.push(
        NodeKind::Facility {
            id,
            priority: view.facility.priority,
            name: view.facility.name.clone(),
        },
        0,
    );
    g.truncated = idents.len() > MAX_IDENTIFIERS;
    let mut vis = Visible {
        v,
        p,
        seen: HashMap::new(),
    };
    let mut placed: HashMap<FacilityId, usize> = HashMap::new();
    for o in idents.into_iter().take(MAX_IDENTIFIERS) {
        let others = facilities_of(&mut vis, &o, Some(id)).await?;
        let node = g.push(
            NodeKind::Observable {
                kind: o.kind.clone(),
                value: o.value.clone(),
                lead: o.mode == ObservableMode::Hub || !others.is_empty(),
            },
            1,
        );
        g.link(centre, node);
        for (f, priority, name) in others {
            let at = match placed.get(&f) {
                Some(i) => *i,
                None if placed.len() < MAX_FACILITIES => {
                    let i = g.push(
                        NodeKind::Facility {
                            id: f,
                            priority,
                            name,
                        },
                        2,
                    );
                    placed.insert(f, i);
                    i
                }
                None => {
                    g.truncated = true;
                    continue;
                }
            };
            g.link(node, at);
        }
    }
    Ok(g)
}

/// The graph around an observable (seen in a tip within the jurisdiction);
/// audited as a read.
pub async fn around_observable(
    v: &DeskService,
    p: &Principal,
    kind: &str,
    value: &str,
) -> Result<Graph, CoreError> {
    let view = desk::observable(v, p, kind, value).await?;
    // The view checked access and normalised the value; the graph needs the
    // stored row's id.
    let o = v
        .store
        .observable(&view.observable.kind, &view.observable.value)
        .await?
        .ok_or(CoreError::NotFound)?;
    let mut vis = Visible {
        v,
        p,
        seen: HashMap::new(),
    };
    let facilities = facilities_of(&mut vis, &o, None).await?;
    let mut g = Graph {
        truncated: facilities.len() > MAX_FACILITIES,
        ..Graph::default()
    };
    let centre = g.push(
        NodeKind::Observable {
            kind: o.kind.clone(),
            value: o.value.clone(),
            lead: o.mode == ObservableMode::Hub || facilities.len() > 1,
        },
        0,
    );
    // Which identifiers each facility's visible tips carry.
    let mut shared: BTreeMap<(String, String), (ObservableRow, Vec<usize>)> = BTreeMap::new();
    for (f, priority, name) in facilities.into_iter().take(MAX_FACILITIES) {
        let node = g.push(
            NodeKind::Facility {
                id: f,
                priority,
                name,
            },
            1,
        );
        g.link(centre, node);
        let (_, members) = v.store.facility(f).await?;
        let newest: Vec<_> = members.into_iter().rev().take(TIPS_PER as usize).collect();
        let tips: Vec<_> = v
            .store
            .tips_by_ids(&newest)
            .await?
            .into_iter()
            .rev()
            .filter(|row| p.jurisdiction.covers(row.location.province_code.as_deref()))
            .map(|row| row.id)
            .collect();
        for other in identifiers_of(v, &tips).await? {
            if other.id == o.id {
                continue;
            }
            shared
                .entry((other.kind.clone(), other.value.clone()))
                .or_insert_with(|| (other, Vec::new()))
                .1
                .push(node);
        }
    }
    let mut common: Vec<(ObservableRow, Vec<usize>)> = shared
        .into_values()
        .filter(|(_, fs)| fs.len() >= 2)
        .collect();
    common.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.id.cmp(&b.0.id)));
    g.truncated |= common.len() > MAX_IDENTIFIERS;
    for (other, fs) in common.into_iter().take(MAX_IDENTIFIERS) {
        let node = g.push(
            NodeKind::Observable {
                kind: other.kind,
                value: other.value,
                // Shared by facilities kept apart: a lead by construction.
                lead: true,
            },
            2,
        );
        for f in fs {
            g.link(f, node);
        }
    }
    Ok(g)
}
