//! Reading a value computed by the policies (not a finding set): the reviewer diff reads the
//! verdicts of `contrail.compat` and the reviewers of `contrail.governance` this way, so a
//! user's override of those packages changes the diff as it changes `check`.

use regorus::Value;

use super::{Input, InputValue, PolicySet};

impl PolicySet {
    /// Evaluates each of `queries` (`data.contrail.compat.verdicts`) over the input, in the
    /// worker when its package can run the user's Rego (as [`PolicySet::evaluate`] does),
    /// else in this process over the run's converted input (`value`); `null` for an undefined
    /// one. An error names the query and the reason.
    pub fn query(
        &self,
        input: &Input,
        value: &InputValue,
        queries: &[&str],
    ) -> Result<Vec<serde_json::Value>, String> {
        let mut engine = None;
        queries
            .iter()
            .map(|query| {
                let failed = |why: String| format!("`{query}`: {why}");
                let (package, rule) = query.rsplit_once('.').unwrap_or((query, ""));
                if let Some(worker) = self
                    .worker
                    .as_ref()
                    .filter(|_| self.untrusted.contains(package))
                {
                    let json = value
                        .json(input, self.worker_input.as_ref())
                        .map_err(failed)?;
                    let results = worker.evaluate(package, &[rule], json);
                    if let Some(failure) = results.failure {
                        return Err(failed(failure.why));
                    }
                    let answer = results.sets.into_iter().next().map(|(_, v)| v);
                    return serde_json::to_value(answer).map_err(|e| failed(e.to_string()));
                }
                let engine = match &mut engine {
                    Some(engine) => engine,
                    None => engine.insert(self.prepared(value.value.clone())),
                };
                let results = engine
                    .eval_query(query.to_string(), false)
                    .map_err(|e| failed(super::summarize_error(&e.to_string())))?;
                let value = results
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .map_or(Value::Undefined, |e| e.value.clone());
                if value == Value::Undefined {
                    return Ok(serde_json::Value::Null);
                }
                serde_json::to_value(&value).map_err(|e| failed(e.to_string()))
            })
            .collect()
    }
}
