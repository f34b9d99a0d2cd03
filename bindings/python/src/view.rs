//! Responses read where they are read: a [`Reply`] keeps the runtime's JSON text, parses it once
//! in Rust when first read, and hands Python views ([`Object`], [`Array`]) that make Python
//! values only of the fields a program reads — the way the Java binding reads its responses.
//! `to_py()` makes all of them at once, as `json.loads` would (same types: `int` for integers of
//! any size, `float` for other numbers, `dict`, `list`, `str`, `bool`, `None`).
//!
//! The text is parsed by sonic-rs, numbers kept as written: on the haiyan demo's response
//! (3.7 kB) about 2.7 µs, where serde_json takes 37 µs into its `Value` with the workspace's
//! features (ordered maps, numbers of any precision) and CPython's `json.loads` about 28 µs
//! (docs/performance.md). A key given twice in one object (never, in a response of the
//! runtime) is read as sonic-rs reads it: the first.

use pyo3::exceptions::{PyIndexError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyIterator, PyList, PyString};
use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait, Value};
use std::sync::{Arc, OnceLock};

/// Responses at least this long are parsed with the GIL released.
const PARSE_DETACHED_FROM: usize = 64 * 1024;

/// One response of the runtime: its JSON text, and the text parsed when first read.
///
/// 运行时的一个响应：JSON 文本，首次读取时解析。
#[pyclass(frozen, module = "duibiao._duibiao")]
pub struct Reply {
    text: String,
    parsed: OnceLock<Result<Arc<Value>, String>>,
}

impl Reply {
    /// The reply of the response `text`.
    pub fn new(text: String) -> Self {
        Reply {
            text,
            parsed: OnceLock::new(),
        }
    }

    fn root(&self, py: Python<'_>) -> PyResult<Arc<Value>> {
        let parsed = match self.parsed.get() {
            Some(parsed) => parsed,
            None => {
                let parse = || parse(&self.text).map(Arc::new);
                let parsed = if self.text.len() >= PARSE_DETACHED_FROM {
                    py.detach(parse)
                } else {
                    parse()
                };
                self.parsed.get_or_init(|| parsed)
            }
        };
        parsed
            .clone()
            .map_err(|e| PyValueError::new_err(format!("the response is not JSON: {e}")))
    }
}

#[pymethods]
impl Reply {
    /// 由响应的 JSON 文本（如保存下来的响应）得到 · The reply of a response's JSON text (a
    /// response saved earlier, say); it is parsed when first read.
    #[new]
    fn py_new(text: String) -> Self {
        Reply::new(text)
    }

    /// 响应的 JSON 文本 · The response's JSON text.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// 整个响应（一个 :class:`Object`）· The whole response, as an :class:`Object`.
    fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let root = self.root(py)?;
        let node = Node {
            root: root.clone(),
            path: Vec::new(),
        };
        view(py, node, &root)
    }
}

/// One step from a JSON value to one inside it.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where a view is: the parsed response and the steps from its top to the value.
#[derive(Clone)]
struct Node {
    root: Arc<Value>,
    path: Vec<Step>,
}

static NULL: Value = Value::new();

impl Node {
    /// The value the node is at (a view's node always is somewhere: it was made from the value).
    fn value(&self) -> &Value {
        self.path.iter().fold(&*self.root, |v, step| {
            match step {
                Step::Key(k) => v.get(k.as_str()),
                Step::Index(i) => v.get(*i),
            }
            .unwrap_or(&NULL)
        })
    }

    /// The whole value, as `json.loads` gives it.
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        plain(py, self.value())
    }

    fn child(&self, step: Step) -> Node {
        let mut path = self.path.clone();
        path.push(step);
        Node {
            root: self.root.clone(),
            path,
        }
    }

    /// The Python value of `value`, the child of this node at `step`: a view for an object or
    /// an array, the value itself otherwise.
    fn item(&self, py: Python<'_>, step: Step, value: &Value) -> PyResult<Py<PyAny>> {
        match value.get_type() {
            JsonType::Object | JsonType::Array => view(py, self.child(step), value),
            _ => plain(py, value),
        }
    }

    /// The value's JSON text (as `json.dumps` writes it), for `repr`.
    fn text(&self, py: Python<'_>) -> PyResult<String> {
        let value = plain(py, self.value())?;
        let dumps = py.import("json")?.getattr("dumps")?;
        dumps.call1((value,))?.extract()
    }
}

fn view(py: Python<'_>, node: Node, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value.get_type() {
        JsonType::Array => Py::new(py, Array(node))?.into_any(),
        _ => Py::new(py, Object(node))?.into_any(),
    })
}

/// Reads a response's text, numbers kept as written.
fn parse(text: &str) -> Result<Value, String> {
    use serde::Deserialize;
    let mut de = sonic_rs::Deserializer::from_str(text).use_rawnumber();
    let value = Value::deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

/// The whole of `value` as Python values, as `json.loads` makes them.
fn plain(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value.get_type() {
        JsonType::Null => py.None(),
        JsonType::Boolean => PyBool::new(py, value.is_true())
            .to_owned()
            .into_any()
            .unbind(),
        JsonType::Number => match value.as_raw_number() {
            Some(n) => number(py, n.as_str())?,
            // Not read by this module (its numbers keep their text); as sonic-rs holds it.
            None => {
                let text = (value.as_i64().map(|i| i.to_string()))
                    .or_else(|| value.as_u64().map(|u| u.to_string()))
                    .or_else(|| value.as_f64().map(|f| format!("{f:?}")));
                number(py, &text.unwrap_or_default())?
            }
        },
        JsonType::String => PyString::new(py, value.as_str().unwrap_or_default())
            .into_any()
            .unbind(),
        JsonType::Array => {
            let list = PyList::empty(py);
            for v in value.as_array().into_iter().flat_map(|a| a.iter()) {
                list.append(plain(py, v)?)?;
            }
            list.into_any().unbind()
        }
        JsonType::Object => {
            let dict = PyDict::new(py);
            for (k, v) in value.as_object().into_iter().flat_map(|o| o.iter()) {
                dict.set_item(k, plain(py, v)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A JSON number as `json.loads` reads it: an `int` when written without a fraction or an
/// exponent (of any size), a `float` otherwise.
fn number(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    if let Ok(i) = text.parse::<i64>() {
        return Ok(i.into_pyobject(py)?.into_any().unbind());
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        let int = py.import("builtins")?.getattr("int")?;
        return Ok(int.call1((text,))?.unbind());
    }
    let f: f64 = text
        .parse()
        .map_err(|_| PyValueError::new_err(format!("not a JSON number: {text}")))?;
    Ok(PyFloat::new(py, f).into_any().unbind())
}

/// Compares the view's value with `other` as Python compares what `json.loads` would give.
fn equals(py: Python<'_>, node: &Node, other: &Bound<'_, PyAny>) -> PyResult<bool> {
    let other = match other.cast::<Object>() {
        Ok(o) => o.get().0.plain(py)?.into_bound(py),
        Err(_) => match other.cast::<Array>() {
            Ok(a) => a.get().0.plain(py)?.into_bound(py),
            Err(_) => other.clone(),
        },
    };
    node.plain(py)?.bind(py).eq(other)
}

/// 响应中的一个 JSON 对象，只读、按需转换；可当作 ``Mapping`` 使用 · A JSON object of a response,
/// read-only and converted as read; a ``Mapping``.
#[pyclass(frozen, mapping, module = "duibiao._duibiao")]
pub struct Object(Node);

impl Object {
    fn fields(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0
            .value()
            .as_object()
            .into_iter()
            .flat_map(|o| o.iter())
    }

    fn field(&self, key: &str) -> Option<&Value> {
        self.0.value().as_object().and_then(|o| o.get(&key))
    }
}

#[pymethods]
impl Object {
    fn __len__(&self) -> usize {
        self.0.value().as_object().map_or(0, |o| o.len())
    }

    fn __getitem__(&self, py: Python<'_>, key: &str) -> PyResult<Py<PyAny>> {
        match self.field(key) {
            Some(v) => self.0.item(py, Step::Key(key.to_owned()), v),
            None => Err(PyKeyError::new_err(key.to_owned())),
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        let key = key.cast::<PyString>().ok().and_then(|k| k.to_cow().ok());
        key.is_some_and(|k| self.field(&k).is_some())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.keys(py)?.into_any().try_iter()
    }

    /// 字段的值，没有时为 ``default`` · A field's value, or ``default``.
    #[pyo3(signature = (key, default=None))]
    fn get(&self, py: Python<'_>, key: &str, default: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        match self.field(key) {
            Some(v) => self.0.item(py, Step::Key(key.to_owned()), v),
            None => Ok(default.unwrap_or_else(|| py.None())),
        }
    }

    /// 字段名 · The keys, in the response's order.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.fields().map(|(k, _)| k))
    }

    /// 字段的值 · The values, in order.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (k, v) in self.fields() {
            list.append(self.0.item(py, Step::Key(k.to_owned()), v)?)?;
        }
        Ok(list)
    }

    /// ``(字段名, 值)`` · The ``(key, value)`` pairs, in order.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (k, v) in self.fields() {
            list.append((k, self.0.item(py, Step::Key(k.to_owned()), v)?))?;
        }
        Ok(list)
    }

    /// 整个对象转成 ``dict``（与 ``json.loads`` 相同）· The whole object as a ``dict``, as
    /// ``json.loads`` gives it.
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.0.plain(py)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        equals(py, &self.0, other)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.0.text(py)
    }
}

/// 响应中的一个 JSON 数组，只读、按需转换；可当作 ``Sequence`` 使用 · A JSON array of a response,
/// read-only and converted as read; a ``Sequence``.
#[pyclass(frozen, sequence, module = "duibiao._duibiao")]
pub struct Array(Node);

impl Array {
    fn items(&self) -> &[Value] {
        self.0.value().as_array().map_or(&[], |a| a)
    }

    /// The items as a list (of views, for objects and arrays).
    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (i, v) in self.items().iter().enumerate() {
            list.append(self.0.item(py, Step::Index(i), v)?)?;
        }
        Ok(list)
    }
}

#[pymethods]
impl Array {
    fn __len__(&self) -> usize {
        self.items().len()
    }

    fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Ok(index) = index.extract::<isize>() else {
            // A slice (or what a list refuses, with the list's own error).
            return Ok(self.list(py)?.as_any().get_item(index)?.unbind());
        };
        let items = self.items();
        let at = if index < 0 {
            items.len().checked_sub(index.unsigned_abs())
        } else {
            Some(index.unsigned_abs())
        };
        match at.and_then(|i| items.get(i).map(|v| (i, v))) {
            Some((i, v)) => self.0.item(py, Step::Index(i), v),
            None => Err(PyIndexError::new_err("array index out of range")),
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.list(py)?.into_any().try_iter()
    }

    /// 以每个对象的字段 ``key`` 的值为键、对象的下标为值的字典（值相同时取第一个；不是对象或没有该字段的
    /// 项不在其中）· A dict from each object item's value of the field ``key`` to the item's
    /// index (the first, when two share a value; items that are not objects or lack the field
    /// are left out): how an evaluation finds a unit by its id.
    fn index_by<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (i, item) in self.items().iter().enumerate() {
            if let Some(v) = item.as_object().and_then(|o| o.get(&key)) {
                let v = plain(py, v)?;
                if !dict.contains(&v)? {
                    dict.set_item(v, i)?;
                }
            }
        }
        Ok(dict)
    }

    /// 整个数组转成 ``list``（与 ``json.loads`` 相同）· The whole array as a ``list``, as
    /// ``json.loads`` gives it.
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.0.plain(py)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        equals(py, &self.0, other)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.0.text(py)
    }
}
