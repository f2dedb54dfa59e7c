//! Prints what is found in each line of stdin (a debugging aid).
use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        println!("{line}");
        for f in vigil_extract::extract(&line) {
            println!(
                "  {:<13} {:<40} {:>3}..{:<3} {:?}",
                f.kind.as_str(),
                f.value,
                f.start,
                f.end,
                &line[f.start..f.end]
            );
        }
    }
}
