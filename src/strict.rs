//! Deserializers that apply exactly the rules the generated JSON Schemas state, so that
//! `check` and an editor's schema validation never disagree (a property test holds them to
//! it): a text field takes text, never YAML's null (`~`, `null`, nothing) or a bare number
//! (`title: 2019` is quoted as `title: "2019"`); a required text is not blank; a list that must
//! name something is not empty; a whole number may be written `200005.0` (JSON has no other
//! way to tell them apart).

use serde::de::{self, Deserializer, SeqAccess, Unexpected, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// What a text field says it expects, in messages.
const TEXT: &str = "a text (put it in quotes if it looks like a number)";

struct TextVisitor {
    /// Null gives `None` instead of an error.
    nullable: bool,
    /// A blank text is an error (checked here, while the parser still knows where it is).
    required: bool,
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(TEXT)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if self.required && v.trim().is_empty() {
            return Err(E::invalid_value(
                Unexpected::Str(v),
                &"a text that is not blank",
            ));
        }
        Ok(Some(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.visit_str(&v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if self.nullable {
            Ok(None)
        } else {
            Err(E::invalid_type(Unexpected::Other("an empty value"), &self))
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Bool(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Float(v), &self))
    }
}

/// A required text: a string, not null, not blank.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let visitor = TextVisitor {
        nullable: false,
        required: true,
    };
    Ok(d.deserialize_any(visitor)?.unwrap_or_default())
}

/// An optional text: a string or null (`~`, nothing), never a number or `true`.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor {
        nullable: true,
        required: false,
    })
}

/// A text that may be empty or left out (null): a string, never a number or `true`.
pub(crate) fn opt_text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_text(d)?.unwrap_or_default())
}

/// A field that may be left out but, when written, has a value of its type (never YAML's
/// null): `#[serde(default, deserialize_with = "present")]` on an `Option<T>`.
pub(crate) fn present<'de, D: Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// One item of a list of texts.
struct Item(String);

impl<'de> serde::Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text(d).map(Item)
    }
}

/// A list of `T`: a YAML sequence, never null (`keywords:` with nothing after it is a slip:
/// write `keywords: []`).
struct ListVisitor<T> {
    /// An empty list is an error (checked here, while the parser knows where the list is).
    required: bool,
    item: PhantomData<T>,
}

impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(E::invalid_type(Unexpected::Other("an empty value"), &self))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        if self.required && out.is_empty() {
            return Err(de::Error::invalid_length(0, &"at least one value"));
        }
        Ok(out)
    }
}

fn list<'de, D: Deserializer<'de>, T: serde::Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor {
        required: false,
        item: PhantomData,
    })
}

fn some<'de, D: Deserializer<'de>, T: serde::Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor {
        required: true,
        item: PhantomData,
    })
}

/// A list of records' parts (`reports`, `rows`, `terms` ...): a YAML sequence, never null.
pub(crate) fn items<'de, D: Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    list(d)
}

/// A list of texts, each a string that is not blank.
pub(crate) fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let items: Vec<Item> = list(d)?;
    Ok(items.into_iter().map(|i| i.0).collect())
}

/// A list of texts that names at least one.
pub(crate) fn some_texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let items: Vec<Item> = some(d)?;
    Ok(items.into_iter().map(|i| i.0).collect())
}

/// A type of whole numbers, with its range as messages state it ("a whole number from 0 to
/// 255": never the Rust type's name).
pub(crate) trait Whole: TryFrom<i128> {
    const MIN: i128;
    const MAX: i128;
}

macro_rules! whole_types {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            const MIN: i128 = <$t>::MIN as i128;
            const MAX: i128 = <$t>::MAX as i128;
        }
    )*};
}
whole_types!(u8, u16, u32, u64, i64);

/// "a whole number from 0 to 65,535" for `T` (digits grouped, as a reader writes them); the
/// 64-bit types' bounds are too long to help anyone.
pub(crate) fn whole_range<T: Whole>() -> String {
    match (T::MIN, T::MAX) {
        (0, max) if max == i128::from(u64::MAX) => "a whole number, 0 or more".into(),
        (min, _) if min == i128::from(i64::MIN) => "a whole number".into(),
        (min, max) => format!(
            "a whole number from {} to {}",
            crate::text::group_digits(min),
            crate::text::group_digits(max)
        ),
    }
}

/// A whole number of type `T`: `5`, or `5.0` (a float with nothing after the point).
struct WholeVisitor<T>(PhantomData<T>);

impl<'de, T: Whole> Visitor<'de> for WholeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&whole_range::<T>())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(i128::from(v)).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(i128::from(v)).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        T::try_from(v)
            .map_err(|_| E::invalid_value(Unexpected::Other("a number out of range"), &self))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        let v = i128::try_from(v)
            .map_err(|_| E::invalid_value(Unexpected::Other("a number out of range"), &self))?;
        self.visit_i128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // Exactly representable whole floats only (2^53 and below).
        if v.is_finite() && v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0 {
            self.visit_i128(v as i128)
        } else {
            Err(E::invalid_type(Unexpected::Float(v), &self))
        }
    }
}

/// A whole number.
pub(crate) fn whole<'de, D: Deserializer<'de>, T: Whole>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(WholeVisitor(PhantomData))
}

/// One whole number in a list, or null when the list allows it.
struct WholeItem<T>(T);

impl<'de, T: Whole> serde::Deserialize<'de> for WholeItem<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whole(d).map(WholeItem)
    }
}

struct OptWholeItem<T>(Option<T>);

impl<'de, T: Whole> serde::Deserialize<'de> for OptWholeItem<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Whole> Visitor<'de> for V<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                WholeVisitor(PhantomData).visit_i64(v).map(Some)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                WholeVisitor(PhantomData).visit_u64(v).map(Some)
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
                WholeVisitor(PhantomData).visit_i128(v).map(Some)
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
                WholeVisitor(PhantomData).visit_u128(v).map(Some)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                WholeVisitor(PhantomData).visit_f64(v).map(Some)
            }
        }
        d.deserialize_any(V(PhantomData)).map(OptWholeItem)
    }
}

/// A list of whole numbers.
pub(crate) fn wholes<'de, D: Deserializer<'de>, T: Whole>(d: D) -> Result<Vec<T>, D::Error> {
    let items: Vec<WholeItem<T>> = list(d)?;
    Ok(items.into_iter().map(|i| i.0).collect())
}

/// A list of whole numbers that names at least one.
pub(crate) fn some_wholes<'de, D: Deserializer<'de>, T: Whole>(d: D) -> Result<Vec<T>, D::Error> {
    let items: Vec<WholeItem<T>> = some(d)?;
    Ok(items.into_iter().map(|i| i.0).collect())
}

/// A list of whole numbers or nulls (a table row: `null` for a cell printed as `-`).
pub(crate) fn opt_wholes<'de, D: Deserializer<'de>, T: Whole>(
    d: D,
) -> Result<Vec<Option<T>>, D::Error> {
    let items: Vec<OptWholeItem<T>> = list(d)?;
    Ok(items.into_iter().map(|i| i.0).collect())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct R {
        #[serde(deserialize_with = "super::text")]
        t: String,
        #[serde(default, deserialize_with = "super::opt_text")]
        o: Option<String>,
        #[serde(default, deserialize_with = "super::whole")]
        n: u32,
        #[serde(default, deserialize_with = "super::some_texts")]
        l: Vec<String>,
        #[serde(default, deserialize_with = "super::opt_wholes")]
        v: Vec<Option<u64>>,
    }

    fn parse(yaml: &str) -> Result<R, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn texts_are_text_and_numbers_whole() {
        let r = parse("t: x\no: ~\nn: 200005.0\nl: [a]\nv: [1, null, 2.0]\n").unwrap();
        assert_eq!(
            (r.t.as_str(), r.o, r.n, r.l, r.v),
            (
                "x",
                None,
                200005,
                vec!["a".to_string()],
                vec![Some(1), None, Some(2)]
            )
        );
        assert_eq!(parse("t: \"2019\"\nl: [a]\n").unwrap().t, "2019");
        for bad in [
            "t: ~\n",
            "t: null\n",
            "t:\n",
            "t: \"  \"\n",
            "t: 2019\n",
            "t: true\n",
            "t: x\no: 3\n",
            "t: x\nn: 1.5\n",
            "t: x\nn: -1\n",
            "t: x\nl: []\n",
            "t: x\nl: [~]\n",
            "t: x\nv: [a]\n",
            "t: x\nv:\n",
            "t: x\nl:\n",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
