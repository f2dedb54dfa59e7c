//! Bar charts as plain HTML: this computes each bar's length and writes its
//! value in the reader's locale; `chart.html` places them and the style
//! sheets draw them. Text stays text, so labels are as legible on a 360 px
//! phone as the page around them, the chart prints, and no script is needed.

use crate::localize;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Its label (escaped by the template).
    pub label: String,
    /// Its value.
    pub value: u64,
    /// Its value as the reader's locale writes it.
    pub shown: String,
    /// Its length, in percent of the longest bar.
    pub percent: f64,
}

/// A bar chart: one row per bar, lengths proportional to values.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// `id` of the figure element (for tests and links).
    pub id: String,
    /// Its caption.
    pub title: String,
    /// The bars, in the order given.
    pub bars: Vec<Bar>,
}

/// A chart of `rows` (label, value), values written for `lang`; the longest
/// bar fills the width. Only comparable quantities belong in one chart.
pub fn bars(id: &str, title: String, rows: Vec<(String, u64)>, lang: &str) -> Chart {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let bars = rows
        .into_iter()
        .map(|(label, value)| Bar {
            label,
            shown: localize::count(lang, value),
            value,
            percent: (value as f64 / max * 1000.0).round() / 10.0,
        })
        .collect();
    Chart {
        id: id.to_string(),
        title,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_bar_fills_the_width_and_others_are_proportional() {
        let c = bars(
            "c",
            "t".into(),
            vec![
                ("a".into(), 5_000),
                ("b".into(), 10_000),
                ("zero".into(), 0),
            ],
            "en",
        );
        assert_eq!(c.bars[1].percent, 100.0);
        assert_eq!(c.bars[0].percent, 50.0);
        assert_eq!(c.bars[2].percent, 0.0);
        assert_eq!(c.bars[1].shown, "10,000");
    }

    #[test]
    fn an_empty_chart_has_no_bars_and_no_division_by_zero() {
        let c = bars("c", "t".into(), vec![("a".into(), 0)], "km");
        assert_eq!(c.bars[0].percent, 0.0);
        assert!(bars("c", "t".into(), vec![], "km").bars.is_empty());
    }
}
