//! The standards a service serves: every `.std` file in one folder, compiled once at start and
//! again when it changes (the folder is polled for the files' sizes and modification times). A
//! file that no longer compiles keeps its last compiled version in service, with the problems
//! of the new text reported beside it; a file removed is no longer served.

use crate::problems::same_slug;
use duibiao::{Limits, Problem, Standard};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};
use std::time::SystemTime;

/// One file of the folder and what became of it.
#[derive(Debug, Clone)]
struct Entry {
    /// The size and modification time it was last compiled at.
    stamp: (u64, Option<SystemTime>),
    /// Its last version that compiled, if any.
    standard: Option<Standard>,
    /// The problems of its current text when it does not compile (the errors), else its
    /// warnings, and `S0009` when its slug is another file's.
    problems: Vec<Problem>,
    /// Whether its current text compiled (`standard` is its current text's).
    current: bool,
}

/// A standard as `GET /v1/standards` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct StandardInfo {
    /// The file, relative to the standards folder.
    pub file: String,
    /// The slug it is served by (none when it has never compiled, or its slug is another
    /// file's).
    pub standard: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// The fingerprint of the version served.
    pub fingerprint: Option<String>,
    /// The kinds of unit it assesses.
    pub kinds: Vec<String>,
    /// Whether the version served is the file's current text: false when the file was changed
    /// and no longer compiles (the last version that compiled is still served).
    pub current: bool,
    /// The current text's errors when it does not compile, else its warnings.
    pub problems: Vec<Problem>,
}

/// The standards of one folder.
#[derive(Debug)]
pub struct Catalog {
    dir: PathBuf,
    limits: Limits,
    entries: RwLock<BTreeMap<String, Entry>>,
}

impl Catalog {
    /// The standards of `dir`, each compiled within `limits`.
    pub fn open(dir: impl Into<PathBuf>, limits: Limits) -> std::io::Result<Catalog> {
        let catalog = Catalog {
            dir: dir.into(),
            limits,
            entries: RwLock::new(BTreeMap::new()),
        };
        catalog.refresh()?;
        Ok(catalog)
    }

    /// Compiles the files that are new or changed since the last look, and forgets those
    /// removed; whether anything changed. (Compiling takes a while: call it where blocking is
    /// allowed.)
    pub fn refresh(&self) -> std::io::Result<bool> {
        let mut seen = BTreeMap::new();
        for item in std::fs::read_dir(&self.dir)? {
            let path = item?.path();
            if path.extension().is_some_and(|e| e == "std") && path.is_file() {
                let meta = std::fs::metadata(&path)?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                seen.insert(name, (path, (meta.len(), meta.modified().ok())));
            }
        }
        let before = self.read().clone();
        let mut after = BTreeMap::new();
        let mut changed = before.len() != seen.len();
        for (name, (path, stamp)) in seen {
            let old = before.get(&name);
            let entry = match old {
                Some(e) if e.stamp == stamp => e.clone(),
                _ => {
                    changed = true;
                    self.compile(&name, &path, stamp, old)
                }
            };
            after.insert(name, entry);
        }
        if changed {
            mark_same_slugs(&mut after);
            *self.entries.write().unwrap_or_else(PoisonError::into_inner) = after;
        }
        Ok(changed)
    }

    fn compile(
        &self,
        name: &str,
        path: &Path,
        stamp: (u64, Option<SystemTime>),
        old: Option<&Entry>,
    ) -> Entry {
        let compiled = self
            .limits
            .read_source(path)
            .and_then(|source| Standard::compile_with(name, &source, &self.limits));
        match compiled {
            Ok(s) => Entry {
                stamp,
                problems: s.warnings().to_vec(),
                standard: Some(s),
                current: true,
            },
            Err(problems) => Entry {
                stamp,
                standard: old.and_then(|e| e.standard.clone()),
                problems: problems.0,
                current: false,
            },
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Entry>> {
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The standard served as `slug`.
    pub fn get(&self, slug: &str) -> Option<Standard> {
        self.read()
            .values()
            .filter(|e| !e.problems.iter().any(|p| p.code == "S0009"))
            .filter_map(|e| e.standard.as_ref())
            .find(|s| s.slug() == slug)
            .cloned()
    }

    /// The slugs served, in the files' order.
    pub fn slugs(&self) -> Vec<String> {
        self.list().into_iter().filter_map(|i| i.standard).collect()
    }

    /// Every file with what became of it, in the files' order.
    pub fn list(&self) -> Vec<StandardInfo> {
        self.read()
            .iter()
            .map(|(file, e)| {
                let served = e
                    .standard
                    .as_ref()
                    .filter(|_| !e.problems.iter().any(|p| p.code == "S0009"));
                StandardInfo {
                    file: file.clone(),
                    standard: served.map(|s| s.slug().to_string()),
                    title: served.and_then(|s| s.title().map(str::to_string)),
                    fingerprint: served.map(|s| s.fingerprint().to_string()),
                    kinds: served
                        .map(|s| s.kinds().into_iter().map(str::to_string).collect())
                        .unwrap_or_default(),
                    current: e.current,
                    problems: e.problems.clone(),
                }
            })
            .collect()
    }
}

/// Adds `S0009` to every file whose slug an earlier file (by name) has, and takes it off the
/// others.
fn mark_same_slugs(entries: &mut BTreeMap<String, Entry>) {
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for (file, e) in entries.iter_mut() {
        e.problems.retain(|p| p.code != "S0009");
        let Some(slug) = e.standard.as_ref().map(|s| s.slug().to_string()) else {
            continue;
        };
        match first.get(&slug) {
            Some(owner) => e.problems.push(same_slug(file, &slug, owner)),
            None => {
                first.insert(slug, file.clone());
            }
        }
    }
}
