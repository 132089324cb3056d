//! JSON Schemas of the record kinds, derived from the Rust types with `schemars`.
//!
//! The same schemas give the loader its field lists (for "did you mean" hints and the list of
//! required fields) and `pactgen new` its skeletons, so docs, editor completion and validation
//! can never disagree about what a field is called.

use crate::model::*;
use schemars::JsonSchema;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The top-level fields of one record kind.
#[derive(Debug)]
pub(crate) struct Fields {
    /// Every field, in declaration order.
    pub names: Vec<String>,
    pub required: Vec<String>,
    /// A reader's description of each field's type ("a list of text", "a whole number").
    types: BTreeMap<String, String>,
    examples: BTreeMap<String, String>,
    /// The fields of each field whose value is a mapping (`source` → `document`, `section`,
    /// `note`): for hints on nested fields and for keys written outside their mapping.
    pub nested: BTreeMap<String, Fields>,
}

impl Fields {
    pub(crate) fn required_names(&self) -> Vec<&str> {
        self.required.iter().map(String::as_str).collect()
    }

    pub(crate) fn describe(&self, field: &str) -> Option<&str> {
        self.types.get(field).map(String::as_str)
    }

    /// An example value for a field, as YAML (valid for the field's type: the loader writes it
    /// in place of a broken value to look for the file's next problem).
    pub(crate) fn example(&self, field: &str) -> &str {
        self.examples.get(field).map_or("...", String::as_str)
    }

    /// Whether `field` has a known example value (every field of a kind has one).
    pub(crate) fn has_example(&self, field: &str) -> bool {
        self.examples.contains_key(field)
    }

    /// The fields of the mapping-valued field `field` (`source`).
    pub(crate) fn of(&self, field: &str) -> Option<&Fields> {
        self.nested.get(field)
    }

    /// The mapping-valued field (`source`) that has a field named `name`, if `name` is not a
    /// field of this mapping itself: where a key written at the wrong indentation belongs.
    pub(crate) fn owner_of(&self, name: &str) -> Option<&str> {
        if self.names.iter().any(|n| n == name) {
            return None;
        }
        self.nested
            .iter()
            .find(|(_, f)| f.names.iter().any(|n| n == name))
            .map(|(owner, _)| owner.as_str())
    }
}

/// The JSON Schema of a kind (draft 2020-12).
pub fn schema_of(kind: Kind) -> Value {
    struct Schema;
    impl KindVisitor for Schema {
        type Output = Value;
        fn visit<T: KindType>(self) -> Value {
            root::<T>()
        }
    }
    let mut schema = visit(kind, Schema);
    // `source` is required unless the record is a draft (`draft: true`), which the derived
    // schema cannot say: a draft made by `pactgen new` may leave its source out.
    let has = |f: &str| schema.pointer(&format!("/properties/{f}")).is_some();
    if has("source")
        && has("draft")
        && let Some(root) = schema.as_object_mut()
    {
        root.insert(
            "if".into(),
            serde_json::json!({"properties": {"draft": {"const": true}}, "required": ["draft"]}),
        );
        root.insert("else".into(), serde_json::json!({"required": ["source"]}));
    }
    schema
}

pub(crate) fn site_schema() -> Value {
    root::<SiteConfig>()
}

fn root<T: JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

pub(crate) fn kind_fields(kind: Kind) -> &'static Fields {
    static CACHE: OnceLock<Vec<Fields>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|k| fields_of(&schema_of(*k)))
            .collect()
    });
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    &all[index]
}

pub(crate) fn site_fields() -> &'static Fields {
    static CACHE: OnceLock<Fields> = OnceLock::new();
    CACHE.get_or_init(|| fields_of(&site_schema()))
}

fn fields_of(schema: &Value) -> Fields {
    fields_in(schema, schema)
}

/// The fields of the mapping `object` (the root schema or one of its `$defs`).
fn fields_in(root: &Value, object: &Value) -> Fields {
    let mut names = Vec::new();
    let mut types = BTreeMap::new();
    let mut examples = BTreeMap::new();
    let mut nested = BTreeMap::new();
    if let Some(props) = object.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            names.push(name.clone());
            let (desc, example) = describe(root, prop);
            types.insert(name.clone(), desc);
            examples.insert(name.clone(), example);
            let target = resolve(root, prop);
            if target.get("properties").is_some() {
                nested.insert(name.clone(), fields_in(root, target));
            }
        }
    }
    let mut required: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    // Required unless the record is a draft (`else` of the root's `if draft`).
    for name in object
        .pointer("/else/required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !required.iter().any(|r| r == name) {
            required.push(name.to_string());
        }
    }
    Fields {
        names,
        required,
        types,
        examples,
        nested,
    }
}

fn resolve<'a>(root: &'a Value, prop: &'a Value) -> &'a Value {
    if let Some(r) = prop.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or("");
        if let Some(def) = root.get("$defs").and_then(|d| d.get(name)) {
            return def;
        }
    }
    prop
}

/// The plural of a description `describe` gives ("text" → "texts", "a whole number from 1 to 9"
/// → "whole numbers from 1 to 9"), for lists.
fn plural_of(desc: &str) -> String {
    if desc == "text" {
        return "texts".into();
    }
    if let Some(rest) = desc.strip_prefix("one of ") {
        return format!("values, each one of {rest}");
    }
    for (singular, plural) in [
        ("a whole number", "whole numbers"),
        ("a mapping", "mappings"),
        ("a list", "lists"),
    ] {
        if let Some(rest) = desc.strip_prefix(singular) {
            return format!("{plural}{rest}");
        }
    }
    format!("values, each {desc}")
}

/// A type description and an example value for hints.
fn describe(root: &Value, prop: &Value) -> (String, String) {
    let prop = resolve(root, prop);
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return (
            format!("one of {}", crate::diagnostics::one_of(&names)),
            names.first().copied().unwrap_or("...").to_string(),
        );
    }
    let ty = match prop.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    };
    match ty.as_str() {
        "string" => ("text".into(), "\"...\"".into()),
        "integer" => {
            let bound = |k: &str| prop.get(k).and_then(Value::as_i64);
            let desc = match (bound("minimum"), bound("maximum")) {
                (Some(min), Some(max)) => format!(
                    "a whole number from {} to {}",
                    crate::text::group_digits(min),
                    crate::text::group_digits(max)
                ),
                (Some(0), None) => "a whole number, 0 or more".into(),
                _ => "a whole number".into(),
            };
            let example = prop
                .pointer("/examples/0")
                .and_then(Value::as_i64)
                .unwrap_or_else(|| bound("minimum").map_or(1, |m| m.max(1)))
                .to_string();
            (desc, example)
        }
        "boolean" => ("`true` or `false`".into(), "true".into()),
        "array" => {
            let item = prop.get("items").map(|i| describe(root, i));
            let example = item
                .as_ref()
                .map_or("[]".to_string(), |(_, e)| format!("[{e}]"));
            let desc = match item {
                Some((d, _)) => format!("a list of {}", plural_of(&d)),
                None => "a list".into(),
            };
            (desc, example)
        }
        "object" => {
            // Each required field with its own example, so that the example is a valid value.
            let props = prop.get("properties");
            let keys: Vec<String> = prop
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(|k| {
                            let example = props
                                .and_then(|p| p.get(k))
                                .map_or_else(|| "...".to_string(), |p| describe(root, p).1);
                            format!("{k}: {example}")
                        })
                        .collect()
                })
                .unwrap_or_default();
            let names: Vec<&str> = props
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let desc = if names.is_empty() {
                "a mapping of fields".to_string()
            } else {
                format!(
                    "a mapping of fields ({})",
                    crate::diagnostics::all_of(&names)
                )
            };
            (desc, format!("{{{}}}", keys.join(", ")))
        }
        _ => ("a value".into(), "...".into()),
    }
}
