//! What the pipeline tells this crate about each tip.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vigil_domain::{Category, DangerFlags};
use vigil_extract::Kind;

/// One identifier: its kind and normalised value (as `vigil-extract` writes it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ident {
    /// The kind (snake_case name on the wire).
    #[serde(serialize_with = "kind_ser", deserialize_with = "kind_de")]
    pub kind: Kind,
    /// The normalised value.
    pub value: String,
}

impl Ident {
    /// An identifier.
    pub fn new(kind: Kind, value: impl Into<String>) -> Self {
        Ident {
            kind,
            value: value.into(),
        }
    }
}

impl From<(Kind, String)> for Ident {
    fn from((kind, value): (Kind, String)) -> Self {
        Ident { kind, value }
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.value)
    }
}

fn kind_ser<S: Serializer>(kind: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

fn kind_de<'de, D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
    let name = String::deserialize(d)?;
    Kind::parse(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown kind {name:?}")))
}

/// The identifiers `vigil-extract` finds in `text`, sorted and without repeats.
pub fn idents_from_text(text: &str) -> Vec<Ident> {
    let mut out: Vec<Ident> = vigil_extract::extract(text)
        .into_iter()
        .map(|f| Ident::new(f.kind, f.value))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Everything clustering and priority need to know about one tip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TipFacts {
    /// The tip's id (`TipId.0`).
    pub id: i64,
    /// When it was received, in seconds since the Unix epoch.
    pub received_at_unix: i64,
    /// Its category.
    pub category: Category,
    /// Province code (2 digits) from the form.
    pub province_code: Option<String>,
    /// District code (4 digits) from the form.
    pub district_code: Option<String>,
    /// Commune code (6 digits) from the form.
    pub commune_code: Option<String>,
    /// Village code (8 digits) from the form.
    pub village_code: Option<String>,
    /// The place in the reporter's words.
    pub place: Option<String>,
    /// Latitude in degrees (form, or a photo's GPS the reporter chose to share).
    pub lat: Option<f64>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
    /// What happened, in the reporter's words.
    pub text: String,
    /// Identifiers found in the text (and the place), normalised.
    pub identifiers: Vec<Ident>,
    /// The form's danger flags.
    pub danger: DangerFlags,
    /// Number of photos attached.
    pub photos: u32,
}

impl TipFacts {
    /// A tip with only an id, a time and a text; the text's identifiers are extracted.
    pub fn from_text(id: i64, received_at_unix: i64, text: &str) -> Self {
        TipFacts {
            id,
            received_at_unix,
            category: Category::Other,
            province_code: None,
            district_code: None,
            commune_code: None,
            village_code: None,
            place: None,
            lat: None,
            lon: None,
            text: text.to_owned(),
            identifiers: idents_from_text(text),
            danger: DangerFlags::default(),
            photos: 0,
        }
    }

    /// The province: the form's code, else the prefix of a finer code, else that
    /// of the coarsest place named in the text (a province named outright is a
    /// surer guide than a village name, which may be a common word elsewhere).
    pub fn province(&self) -> Option<&str> {
        self.chosen_province().or_else(|| {
            self.identifiers
                .iter()
                .filter(|i| i.kind == Kind::Place)
                .min_by_key(|i| i.value.len())
                .and_then(|i| i.value.get(..2))
        })
    }

    /// The province the reporter chose: the form's code, else the prefix of a
    /// finer code.
    pub fn chosen_province(&self) -> Option<&str> {
        [
            &self.province_code,
            &self.district_code,
            &self.commune_code,
            &self.village_code,
        ]
        .into_iter()
        .flatten()
        .find_map(|c| c.get(..2))
    }

    /// The commune the reporter chose: the form's code, else the prefix of the
    /// village code.
    pub fn chosen_commune(&self) -> Option<&str> {
        self.commune_code
            .as_deref()
            .or_else(|| self.village_code.as_deref().and_then(|v| v.get(..6)))
    }

    /// The commune: the one the reporter chose, else a commune (or a village's
    /// commune) named in the text within the province.
    pub fn commune(&self) -> Option<&str> {
        self.chosen_commune().or_else(|| {
            let province = self.province()?;
            self.identifiers
                .iter()
                .filter(|i| i.kind == Kind::Place && i.value.starts_with(province))
                .filter_map(|i| i.value.get(..6))
                .min()
        })
    }

    /// The position: the form's, else the first coordinates written in the text.
    pub fn point(&self) -> Option<(f64, f64)> {
        if let (Some(lat), Some(lon)) = (self.lat, self.lon)
            && lat.is_finite()
            && lon.is_finite()
        {
            return Some((lat, lon));
        }
        self.identifiers
            .iter()
            .filter(|i| i.kind == Kind::Coordinates)
            .find_map(|i| {
                let (a, b) = i.value.split_once(',')?;
                Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_serde_uses_kind_names() -> Result<(), serde_json::Error> {
        let i = Ident::new(Kind::Telegram, "hr_888");
        let s = serde_json::to_string(&i)?;
        assert_eq!(s, r#"{"kind":"telegram","value":"hr_888"}"#);
        assert_eq!(serde_json::from_str::<Ident>(&s)?, i);
        assert!(serde_json::from_str::<Ident>(r#"{"kind":"nope","value":"x"}"#).is_err());
        Ok(())
    }

    #[test]
    fn derived_place_and_point() {
        let mut t = TipFacts::from_text(
            1,
            0,
            "Held at 10.6100, 103.5200 in Sihanoukville, call 012 345 678",
        );
        assert!(
            t.identifiers
                .contains(&Ident::new(Kind::Phone, "+85512345678"))
        );
        assert_eq!(t.province(), Some("18"));
        assert!(t.point().is_some());
        t.village_code = Some("18020304".into());
        assert_eq!(t.commune(), Some("180203"));
        t.lat = Some(11.0);
        t.lon = Some(104.0);
        assert_eq!(t.point(), Some((11.0, 104.0)));
    }
}
