//! `pactgen new KIND [ID]`: a valid skeleton record.

use super::Outcome;
use crate::console::Console;
use crate::diagnostics;
use crate::model::Kind;

pub(super) fn run_new(
    root: &std::path::Path,
    kind: &str,
    id: Option<&str>,
    out: Console,
) -> Outcome {
    let Some(kind) = Kind::from_name(kind).or_else(|| Kind::from_folder(kind)) else {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        let close = diagnostics::did_you_mean(kind, names.iter().copied());
        let hint = if close.is_empty() {
            format!("kinds: {}", names.join(", "))
        } else {
            format!("did you mean {}?", diagnostics::one_of(&close))
        };
        out.always(&format!(
            "error: unknown record kind `{kind}`\n  = help: {hint}"
        ));
        return Ok(2);
    };
    match crate::scaffold::new_record(root, kind, id) {
        Ok(path) => {
            // `./content/x.yaml` reads better without its `./`.
            let shown = path.strip_prefix(".").unwrap_or(&path);
            println!("{}", shown.display());
            Ok(0)
        }
        Err(d) => Err(d),
    }
}
