//! Reading a value computed by the policies (not a finding set): the reviewer diff reads the
//! verdicts of `contrail.compat` and the reviewers of `contrail.governance` this way, so a
//! user's override of those packages changes the diff as it changes `check`.

use regorus::Value;

use super::Input;
use super::{input, PolicySet};

impl PolicySet {
    /// Evaluates each of `queries` (`data.contrail.compat.verdicts`) over the input in
    /// this process, with one input; `null` for an undefined one. An error names the query
    /// and regorus' reason.
    pub fn query(&self, input: &Input, queries: &[&str]) -> Result<Vec<serde_json::Value>, String> {
        let mut engine = self.prepared(input::value_of(input)?);
        queries
            .iter()
            .map(|query| {
                let results = engine.eval_query(query.to_string(), false).map_err(|e| {
                    format!("`{query}`: {}", super::summarize_error(&e.to_string()))
                })?;
                let value = results
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .map_or(Value::Undefined, |e| e.value.clone());
                if value == Value::Undefined {
                    return Ok(serde_json::Value::Null);
                }
                serde_json::to_value(&value).map_err(|e| format!("`{query}`: {e}"))
            })
            .collect()
    }
}
