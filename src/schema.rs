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
pub struct Fields {
    /// Every field, in declaration order.
    pub names: Vec<String>,
    pub required: Vec<String>,
    /// A reader's description of each field's type ("a list of text", "a whole number").
    types: BTreeMap<String, String>,
    examples: BTreeMap<String, String>,
}

impl Fields {
    pub fn required_names(&self) -> Vec<&str> {
        self.required.iter().map(String::as_str).collect()
    }

    pub fn describe(&self, field: &str) -> Option<&str> {
        self.types.get(field).map(String::as_str)
    }

    /// An example value for a field, as YAML.
    pub fn example(&self, field: &str) -> &str {
        self.examples.get(field).map_or("...", String::as_str)
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
    visit(kind, Schema)
}

pub fn site_schema() -> Value {
    root::<SiteConfig>()
}

fn root<T: JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

pub fn kind_fields(kind: Kind) -> &'static Fields {
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

pub fn site_fields() -> &'static Fields {
    static CACHE: OnceLock<Fields> = OnceLock::new();
    CACHE.get_or_init(|| fields_of(&site_schema()))
}

fn fields_of(schema: &Value) -> Fields {
    let mut names = Vec::new();
    let mut types = BTreeMap::new();
    let mut examples = BTreeMap::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            names.push(name.clone());
            let (desc, example) = describe(schema, prop);
            types.insert(name.clone(), desc);
            examples.insert(name.clone(), example);
        }
    }
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    Fields {
        names,
        required,
        types,
        examples,
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
        "integer" => ("a whole number".into(), "1".into()),
        "boolean" => ("`true` or `false`".into(), "true".into()),
        "array" => {
            let item = prop.get("items").map(|i| describe(root, i));
            let example = item
                .as_ref()
                .map_or("[]".to_string(), |(_, e)| format!("[{e}]"));
            (
                format!(
                    "a list, each item {}",
                    item.map_or_else(|| "a value".into(), |(d, _)| d)
                ),
                example,
            )
        }
        "object" => {
            let keys: Vec<String> = prop
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|k| k.as_str().map(|k| format!("{k}: ...")))
                        .collect()
                })
                .unwrap_or_default();
            (
                "a mapping of fields".into(),
                format!("{{{}}}", keys.join(", ")),
            )
        }
        _ => ("a value".into(), "...".into()),
    }
}
