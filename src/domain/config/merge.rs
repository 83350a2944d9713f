//! The JSON merge patch (RFC 7396) a partial configuration update is: applied to the
//! document, which is then parsed into settings as a whole.

use serde_json::{Map, Value};

/// Applies a JSON merge patch (RFC 7396): objects merge field by field, `null` clears a field,
/// anything else replaces it.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_fields) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let fields = target.as_object_mut().expect("made an object above");
    for (name, value) in patch_fields {
        if value.is_null() {
            fields.insert(name.clone(), Value::Null);
        } else {
            merge_patch(fields.entry(name.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::config::AppConfig;
    use serde_json::json;

    #[test]
    fn a_merge_patch_changes_only_what_it_names() {
        let mut doc = serde_json::to_value(AppConfig::default()).unwrap();
        merge_patch(
            &mut doc,
            &json!({"scheduler": {"interval_minutes": 30}, "logging": {"file": "logs/a.log"}}),
        );
        let c: AppConfig = serde_json::from_value(doc).unwrap();
        assert_eq!(c.scheduler.interval_minutes, 30);
        assert!(c.scheduler.enabled);
        assert_eq!(c.logging.file.as_deref(), Some("logs/a.log"));
        assert_eq!(c.logging.level, "INFO");
    }

    #[test]
    fn null_in_a_patch_clears_an_optional_field() {
        let mut c = AppConfig::default();
        c.logging.file = Some("a.log".into());
        let mut doc = serde_json::to_value(c).unwrap();
        merge_patch(&mut doc, &json!({"logging": {"file": null}}));
        let c: AppConfig = serde_json::from_value(doc).unwrap();
        assert_eq!(c.logging.file, None);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let r: Result<AppConfig, _> =
            serde_json::from_value(json!({"scheduler": {"intervall": 3}}));
        assert!(r.is_err());
    }
}
