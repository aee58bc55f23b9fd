//! A query built piece by piece, every value bound. `sqlx::QueryBuilder` would do, but with the
//! Any driver it writes `?` placeholders, which PostgreSQL refuses; this writes `$1, $2…`, which
//! both engines read.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, FromRow};

/// A value bound to a built query: the kinds Toile stores.
#[derive(Clone, Debug)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(Some(value))
    }
}

impl From<Option<i64>> for Value {
    fn from(value: Option<i64>) -> Self {
        Value::Int(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(Some(value.to_string()))
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(Some(value))
    }
}

impl From<Option<String>> for Value {
    fn from(value: Option<String>) -> Self {
        Value::Text(value)
    }
}

impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Self {
        Value::Text(value.map(str::to_string))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql { text: text.to_string(), values: vec![] }
    }

    /// Appends SQL text (never a value: values go through `bind`).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.values.len().to_string());
        self
    }

    /// Appends `(v1, v2, …)` for an `IN` list; `(NULL)` when empty, which matches nothing.
    pub fn bind_list<T: Into<Value>>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self {
        self.text.push('(');
        let before = self.values.len();
        for value in values {
            if self.values.len() > before {
                self.text.push_str(", ");
            }
            self.bind(value);
        }
        self.text.push_str(if self.values.len() == before { "NULL)" } else { ")" });
        self
    }

    pub fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.values.iter().fold(sqlx::query(&self.text), |query, value| match value {
            Value::Int(v) => query.bind(*v),
            Value::Text(v) => query.bind(v.as_deref()),
        })
    }

    pub fn query_as<R>(&self) -> sqlx::query::QueryAs<'_, Any, R, AnyArguments<'_>>
    where
        R: for<'r> FromRow<'r, AnyRow>,
    {
        self.values.iter().fold(sqlx::query_as(&self.text), |query, value| match value {
            Value::Int(v) => query.bind(*v),
            Value::Text(v) => query.bind(v.as_deref()),
        })
    }

    pub fn query_scalar<T>(&self) -> sqlx::query::QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        self.values.iter().fold(sqlx::query_scalar(&self.text), |query, value| match value {
            Value::Int(v) => query.bind(*v),
            Value::Text(v) => query.bind(v.as_deref()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_numbered_placeholders_and_an_empty_list_matches_nothing() {
        let mut sql = Sql::new("SELECT id FROM sessions WHERE status = ");
        sql.bind("published").push(" AND id IN ").bind_list([3_i64, 4]).push(" AND id NOT IN ");
        sql.bind_list(Vec::<i64>::new());
        assert_eq!(sql.text, "SELECT id FROM sessions WHERE status = $1 AND id IN ($2, $3) AND id NOT IN (NULL)");
        assert_eq!(sql.values.len(), 3);
    }
}
