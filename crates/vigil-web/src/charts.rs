//! Bar charts drawn on the server as SVG: this computes where each bar and
//! label goes; the template `chart.html` only places them. No script, so a
//! chart prints and works on any phone.

/// One bar, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Its label (escaped by the template).
    pub label: String,
    /// Its value, as shown.
    pub value: u64,
    /// Top edge.
    pub y: f64,
    /// Length.
    pub width: f64,
    /// Where the value's text goes.
    pub value_x: f64,
}

/// A horizontal bar chart: one row per bar, lengths proportional to values.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// `id` of the figure element (for tests and links).
    pub id: String,
    /// Its caption.
    pub title: String,
    /// The bars, in the order given.
    pub bars: Vec<Bar>,
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
    /// Where bars start (after the labels).
    pub left: f64,
    /// Bar thickness.
    pub thickness: f64,
}

const ROW: f64 = 22.0;
const THICK: f64 = 16.0;
const LEFT: f64 = 170.0;
const WIDTH: f64 = 560.0;
const VALUE_ROOM: f64 = 70.0;

/// A chart of `rows` (label, value); the longest bar fills the width.
pub fn bars(id: &str, title: String, rows: Vec<(String, u64)>) -> Chart {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let room = WIDTH - LEFT - VALUE_ROOM;
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let width = (value as f64 / max * room * 10.0).round() / 10.0;
            Bar {
                label,
                value,
                y: i as f64 * ROW + 4.0,
                width,
                value_x: LEFT + width + 6.0,
            }
        })
        .collect();
    Chart {
        id: id.to_string(),
        title,
        height: bars.len() as f64 * ROW + 8.0,
        bars,
        width: WIDTH,
        left: LEFT,
        thickness: THICK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_bar_fills_the_room_and_others_are_proportional() {
        let c = bars(
            "c",
            "t".into(),
            vec![("a".into(), 50), ("b".into(), 100), ("zero".into(), 0)],
        );
        assert_eq!(c.bars[1].width, WIDTH - LEFT - VALUE_ROOM);
        assert_eq!(c.bars[0].width * 2.0, c.bars[1].width);
        assert_eq!(c.bars[2].width, 0.0);
        assert!(c.bars[2].y > c.bars[1].y && c.bars[1].y > c.bars[0].y);
        assert_eq!(c.height, 3.0 * ROW + 8.0);
    }

    #[test]
    fn an_empty_chart_has_no_bars_and_no_division_by_zero() {
        let c = bars("c", "t".into(), vec![("a".into(), 0)]);
        assert_eq!(c.bars[0].width, 0.0);
        assert!(bars("c", "t".into(), vec![]).bars.is_empty());
    }
}
