//! Reads the terms back out of emitted search files, independently of search.js, so tests can
//! say which words a built index holds (the format is described in src/search/shards.rs).

#![allow(dead_code, reason = "not every test module uses every helper")]

use std::collections::BTreeSet;

use gongshi::search::SearchFile;
use serde_json::Value;

/// Every term of every shard in `files`, inlined in the manifest or in shard files.
pub fn terms_of(files: &[SearchFile]) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for file in files {
        let text = String::from_utf8_lossy(&file.bytes);
        let Some((_, json)) = text.split_once('=') else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<Value>(json.trim_end().trim_end_matches(';')) else {
            panic!("{} does not hold JSON after its assignment", file.path);
        };
        let shards: Vec<&Value> = match value.get("shards").and_then(Value::as_object) {
            Some(inline) => inline.values().collect(),
            None if value.get("t").is_some() => vec![&value],
            None => Vec::new(),
        };
        for shard in shards {
            for group in shard["t"]
                .as_str()
                .unwrap_or_default()
                .split(' ')
                .filter(|g| !g.is_empty())
            {
                let mut chars = group.chars();
                let Some(first) = chars.next() else { continue };
                let rest = chars.as_str();
                if let Some(words) = rest.strip_prefix(',') {
                    terms.extend(words.split(',').map(|w| format!("{first}{w}")));
                } else {
                    terms.extend(rest.chars().map(|c| {
                        if c == '.' {
                            first.to_string()
                        } else {
                            format!("{first}{c}")
                        }
                    }));
                }
            }
        }
    }
    terms
}
