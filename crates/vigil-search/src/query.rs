//! The query syntax people type, parsed by hand so every mistake gets a clear
//! message: words are ANDed, `"a quoted phrase"`, `prefix*`, `a OR b`,
//! `-excluded`.

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::tokenizer::{fast_words, words};

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// Most clauses (words, phrases) in one query.
pub const MAX_CLAUSES: usize = 32;
/// Fewest characters before a `*`.
pub const MIN_PREFIX_CHARS: usize = 2;
/// Most index terms one `prefix*` may stand for.
const MAX_PREFIX_EXPANSIONS: u32 = 200;

/// Why a query could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A `"` was opened and never closed.
    #[error("a quotation mark is not closed")]
    UnclosedQuote,
    /// A phrase in quotes holds no searchable word.
    #[error("a quoted phrase has no words in it")]
    EmptyPhrase,
    /// `OR` must stand between two words or phrases.
    #[error("OR must stand between two words or phrases")]
    DanglingOr,
    /// An excluded (`-word`) clause was joined with `OR`.
    #[error("an excluded word (-word) cannot be part of an OR")]
    ExcludedInOr,
    /// A `-` with nothing after it.
    #[error("a minus sign must be followed by a word or phrase")]
    DanglingMinus,
    /// A `*` with too few characters before it.
    #[error("a * needs at least {MIN_PREFIX_CHARS} characters before it")]
    ShortPrefix,
    /// Only punctuation and symbols: nothing to search for.
    #[error("the query has no searchable words")]
    NoWords,
    /// The query is too long.
    #[error("the query is too long (at most {MAX_QUERY_BYTES} bytes and {MAX_CLAUSES} words)")]
    TooLong,
    /// A page cursor that is not one this search gave out.
    #[error("the page cursor does not belong to this search")]
    BadCursor,
}

/// One word, prefix or phrase as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Clause {
    Word { text: String, prefix: bool },
    Phrase(String),
}

/// A lexical item.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Clause { clause: Clause, negated: bool },
    Or,
}

fn lex(input: &str) -> Result<Vec<Item>, QueryError> {
    let mut items = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        let mut begin = start;
        if c == '-' {
            chars.next();
            negated = true;
            match chars.peek() {
                Some(&(i, n)) if !n.is_whitespace() => begin = i,
                _ => return Err(QueryError::DanglingMinus),
            }
        }
        if chars.peek().map(|&(_, c)| c) == Some('"') {
            chars.next();
            let open = begin + 1;
            let mut close = None;
            for (i, c) in chars.by_ref() {
                if c == '"' {
                    close = Some(i);
                    break;
                }
            }
            let close = close.ok_or(QueryError::UnclosedQuote)?;
            let text = input.get(open..close).unwrap_or_default().to_string();
            items.push(Item::Clause {
                clause: Clause::Phrase(text),
                negated,
            });
            continue;
        }
        let mut end = input.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                end = i;
                break;
            }
            chars.next();
        }
        let word = input.get(begin..end).unwrap_or_default();
        if word == "OR" && !negated {
            items.push(Item::Or);
            continue;
        }
        let (text, prefix) = match word.strip_suffix('*') {
            Some(stem) => (stem.trim_end_matches('*'), true),
            None => (word, false),
        };
        items.push(Item::Clause {
            clause: Clause::Word {
                text: text.to_string(),
                prefix,
            },
            negated,
        });
    }
    Ok(items)
}

/// A group of alternatives (`a OR b`), required or excluded.
#[derive(Debug)]
struct Group {
    alternatives: Vec<Clause>,
    negated: bool,
}

fn group(items: Vec<Item>) -> Result<Vec<Group>, QueryError> {
    let mut groups: Vec<Group> = Vec::new();
    let mut pending_or = false;
    for item in items {
        match item {
            Item::Or => {
                if pending_or || groups.is_empty() {
                    return Err(QueryError::DanglingOr);
                }
                if groups.last().is_some_and(|g| g.negated) {
                    return Err(QueryError::ExcludedInOr);
                }
                pending_or = true;
            }
            Item::Clause { clause, negated } => {
                if pending_or {
                    if negated {
                        return Err(QueryError::ExcludedInOr);
                    }
                    if let Some(g) = groups.last_mut() {
                        g.alternatives.push(clause);
                    }
                    pending_or = false;
                } else {
                    groups.push(Group {
                        alternatives: vec![clause],
                        negated,
                    });
                }
            }
        }
    }
    if pending_or {
        return Err(QueryError::DanglingOr);
    }
    Ok(groups)
}

/// A word to highlight in snippets (normalised like the index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighlightTerm {
    /// The normalised word.
    pub text: String,
    /// Whether any word starting with `text` matches.
    pub prefix: bool,
}

/// A parsed query and the words it looks for.
#[derive(Debug)]
pub struct Parsed {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// Words of the required and optional clauses, for highlighting.
    pub highlight: Vec<HighlightTerm>,
}

/// The words `input` looks for, to mark in a passage (none when it does
/// not parse).
pub fn highlight_terms(input: &str) -> Vec<HighlightTerm> {
    parse(input, Field::from_field_id(0)).map_or_else(|_| Vec::new(), |p| p.highlight)
}

/// Parses `input` into a tantivy query over `field` (tokenized with the
/// index's tokenizer). An empty or blank input matches every document.
pub fn parse(input: &str, field: Field) -> Result<Parsed, QueryError> {
    let mut highlight = Vec::new();
    let query = parse_into(input, field, &mut highlight)?;
    Ok(Parsed { query, highlight })
}

fn parse_into(
    input: &str,
    field: Field,
    highlight: &mut Vec<HighlightTerm>,
) -> Result<Box<dyn Query>, QueryError> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong);
    }
    let groups = group(lex(input)?)?;
    if groups.is_empty() {
        return Ok(Box::new(AllQuery));
    }
    if groups.iter().map(|g| g.alternatives.len()).sum::<usize>() > MAX_CLAUSES {
        return Err(QueryError::TooLong);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut any_positive = false;
    for g in groups {
        let mut alts: Vec<Box<dyn Query>> = Vec::new();
        for clause in &g.alternatives {
            let sink = if g.negated {
                None
            } else {
                Some(&mut *highlight)
            };
            if let Some(q) = clause_query(clause, field, sink)? {
                alts.push(q);
            }
        }
        let q: Box<dyn Query> = match alts.len() {
            0 => continue,
            1 => alts.remove(0),
            _ => Box::new(BooleanQuery::new(
                alts.into_iter().map(|q| (Occur::Should, q)).collect(),
            )),
        };
        if g.negated {
            clauses.push((Occur::MustNot, q));
        } else {
            any_positive = true;
            clauses.push((Occur::Must, q));
        }
    }
    if clauses.is_empty() {
        return Err(QueryError::NoWords);
    }
    if !any_positive {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        return Ok(clauses.remove(0).1);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The query for one clause, or `None` when it holds no searchable word
/// (a lone punctuation mark among real words is ignored).
fn clause_query(
    clause: &Clause,
    field: Field,
    highlight: Option<&mut Vec<HighlightTerm>>,
) -> Result<Option<Box<dyn Query>>, QueryError> {
    let term = |t: &str| Term::from_field_text(field, t);
    let (text, prefix) = match clause {
        Clause::Phrase(text) => (text, false),
        Clause::Word { text, prefix } => (text, *prefix),
    };
    if let Some(h) = highlight {
        let ws = words(text);
        let n = ws.len();
        h.extend(ws.into_iter().enumerate().map(|(i, w)| HighlightTerm {
            text: w.text,
            prefix: prefix && i + 1 == n,
        }));
    }
    match clause {
        Clause::Phrase(text) => {
            let ws = words(text);
            if ws.is_empty() {
                return Err(QueryError::EmptyPhrase);
            }
            Ok(Some(either_segmentation(text, &ws, field)))
        }
        Clause::Word {
            text,
            prefix: false,
        } => {
            let ws = words(text);
            if ws.is_empty() {
                return Ok(None);
            }
            Ok(Some(either_segmentation(text, &ws, field)))
        }
        Clause::Word { text, prefix: true } => {
            let ws = words(text);
            let Some(last) = ws.last() else {
                return Err(QueryError::ShortPrefix);
            };
            if last.text.chars().count() < MIN_PREFIX_CHARS {
                return Err(QueryError::ShortPrefix);
            }
            let mut q = PhrasePrefixQuery::new(ws.iter().map(|w| term(&w.text)).collect());
            q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
            Ok(Some(Box::new(q)))
        }
    }
}

/// The words of `text` as the model segments them, or as the dictionary does
/// when that differs (the index holds both; see `tokenizer`): a query for
/// `កាំភ្លើង` finds it whichever way the tip's text was split.
fn either_segmentation(
    text: &str,
    primary: &[crate::tokenizer::Word],
    field: Field,
) -> Box<dyn Query> {
    let term = |t: &str| Term::from_field_text(field, t);
    let main = terms_query(primary.iter().map(|w| term(&w.text)).collect());
    let dict = fast_words(text);
    let same =
        dict.len() == primary.len() && dict.iter().zip(primary).all(|(a, b)| a.text == b.text);
    if same || dict.is_empty() {
        return main;
    }
    let alt = terms_query(dict.iter().map(|w| term(&w.text)).collect());
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, main),
        (Occur::Should, alt),
    ]))
}

/// One term, or the phrase of several (a Khmer compound the segmenter splits,
/// `t.me/name`, a quoted phrase).
fn terms_query(mut terms: Vec<Term>) -> Box<dyn Query> {
    match terms.len() {
        0 => Box::new(EmptyQuery),
        1 => Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new(terms)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Schema;

    fn field() -> Field {
        let mut b = Schema::builder();
        b.add_text_field("body", tantivy::schema::TEXT)
    }

    fn check_err(input: &str, expected: QueryError) {
        match parse(input, field()) {
            Err(e) => assert_eq!(e, expected, "{input}"),
            Ok(q) => panic!("{input}: expected {expected:?}, got {:?}", q.query),
        }
    }

    #[test]
    fn malformed_queries_are_errors() {
        check_err("\"open quote", QueryError::UnclosedQuote);
        check_err("passport OR", QueryError::DanglingOr);
        check_err("OR passport", QueryError::DanglingOr);
        check_err("a OR OR b", QueryError::DanglingOr);
        check_err("guard -", QueryError::DanglingMinus);
        check_err("-guard OR gate", QueryError::ExcludedInOr);
        check_err("gate OR -guard", QueryError::ExcludedInOr);
        check_err("p*", QueryError::ShortPrefix);
        check_err("*", QueryError::ShortPrefix);
        check_err("\"  ... \"", QueryError::EmptyPhrase);
        check_err("!!! ???", QueryError::NoWords);
        check_err(&"a ".repeat(600), QueryError::TooLong);
        check_err(&"word ".repeat(40), QueryError::TooLong);
    }

    #[test]
    fn well_formed_queries_parse() {
        for q in [
            "",
            "passport",
            "\"armed guards\"",
            "pass* gate",
            "bavet OR poipet -guard",
            "-guard",
            "មនុស្ស អគារ",
            "a-b c\"d\"",
            "***x",
        ] {
            let parsed = parse(q, field());
            assert!(parsed.is_ok() || q == "***x", "{q}: {parsed:?}");
        }
    }

    #[test]
    fn lexing_splits_operators() {
        let items = lex("a OR -\"b c\" d*").unwrap_or_default();
        assert_eq!(items.len(), 4);
        assert_eq!(items[1], Item::Or);
    }
}
