//! `pactgen schema`: a JSON Schema per record kind, for editors.

use super::Outcome;
use crate::console::Console;
use crate::diagnostics::Diagnostic;
use crate::model::Kind;
use std::path::PathBuf;

pub(super) fn run_schema(root: &std::path::Path, output: Option<PathBuf>, out: Console) -> Outcome {
    let dir = output.unwrap_or_else(|| root.join("schemas"));
    let mut written = 0;
    let mut write = |name: String, value: serde_json::Value| -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
        std::fs::write(dir.join(name), text)?;
        written += 1;
        Ok(())
    };
    let mut result = write("site.schema.json".into(), crate::schema::site_schema());
    for kind in Kind::ALL {
        if result.is_err() {
            break;
        }
        result = write(
            format!("{}.schema.json", kind.name()),
            crate::schema::schema_of(kind),
        );
    }
    if let Err(e) = result {
        let d = Diagnostic::error(
            "write-failed",
            format!("cannot write schemas to {}: {e}", dir.display()),
        );
        return Err(d);
    }
    out.info(&format!(
        "Wrote {written} JSON Schemas to {}",
        dir.display()
    ));
    Ok(0)
}
