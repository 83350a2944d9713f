//! A document coming in from an edge (a request's body or patch), parsed into [`Settings`]:
//! the JSON merge patch (RFC 7396) of a partial update is applied to the document of the
//! settings in force, and the result parsed as a whole.

use serde_json::{Map, Value};

use super::{AppConfig, ConfigIssue, Settings};

impl Settings {
    /// A whole document as the API sends it: every rule it breaks, by field. `data_dir` is
    /// the data dir in use; the document may not change it.
    pub fn from_json(doc: Value, data_dir: &str) -> Result<Self, Vec<ConfigIssue>> {
        let document: AppConfig =
            serde_json::from_value(doc).map_err(|e| vec![ConfigIssue::whole(e.to_string())])?;
        let data_dir_kept = document.data_dir == data_dir;
        let (settings, mut issues) = match Self::try_from(document) {
            Ok(settings) => (Some(settings), vec![]),
            Err(issues) => (None, issues),
        };
        if !data_dir_kept {
            issues.push(ConfigIssue {
                field: "data_dir".into(),
                message: "is read-only: start the server with --data-dir to change it".into(),
            });
        }
        match settings {
            Some(settings) if issues.is_empty() => Ok(settings),
            _ => Err(issues),
        }
    }

    /// These settings changed by a JSON merge patch, checked as a whole.
    pub fn patched(&self, patch: &Value) -> Result<Self, Vec<ConfigIssue>> {
        let mut doc = serde_json::to_value(AppConfig::from(self))
            .map_err(|e| vec![ConfigIssue::whole(e.to_string())])?;
        merge_patch(&mut doc, patch);
        Self::from_json(doc, &self.data_dir)
    }
}

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
