//! Clustering quality benchmark (placeholder).
fn main() {}
