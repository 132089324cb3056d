//! `pactgen new KIND [ID]`: a valid skeleton record.

use super::Outcome;
use crate::console::Console;
use crate::diagnostics;
use crate::model::Kind;

pub(super) fn run_new(
    root: &std::path::Path,
    kind: &str,
    id: Option<&str>,
    source: Option<&str>,
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
    let path = crate::scaffold::new_record(root, kind, id, source)?;
    // `./content/x.yaml` reads better without its `./`.
    let shown = path.strip_prefix(".").unwrap_or(&path);
    println!("{}", shown.display());
    out.info(
        "A draft: `pactgen build` leaves it out until you remove `draft: true`; replace its `TODO:` texts first (`pactgen check` lists them)",
    );
    Ok(0)
}
