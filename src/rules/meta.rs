use serde::Serialize;

/// How loud a finding is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The first digit of a rule code (`CT2xx` is privacy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Structure,
    Quality,
    Privacy,
    Routing,
    Compatibility,
    Governance,
    Identity,
}

impl Category {
    pub fn digit(self) -> char {
        match self {
            Category::Structure => '0',
            Category::Quality => '1',
            Category::Privacy => '2',
            Category::Routing => '3',
            Category::Compatibility => '4',
            Category::Governance => '5',
            Category::Identity => '6',
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Category::Structure,
            Category::Quality,
            Category::Privacy,
            Category::Routing,
            Category::Compatibility,
            Category::Governance,
            Category::Identity,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Structure => "structure",
            Category::Quality => "quality",
            Category::Privacy => "privacy",
            Category::Routing => "routing",
            Category::Compatibility => "compatibility",
            Category::Governance => "governance",
            Category::Identity => "identity",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Short code, `CT<category digit><nn>`.
    pub code: &'static str,
    /// Kebab-case name saying what is flagged.
    pub name: &'static str,
    pub category: Category,
    /// Severity unless the configuration says otherwise.
    pub severity: Severity,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Use instead.
    pub docs: &'static str,
    /// Its findings say a name is missing, unused or unrouted: while a file of the contract
    /// does not parse, or a document of it is not read as written (it may define or use that
    /// name), they are withheld, and one finding says how many were.
    pub absence: bool,
}

impl RuleMeta {
    /// The docs with the one leading space of each `///` line removed.
    pub fn docs_markdown(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The rule's page: what `contrail explain` prints and `docs/rules/` holds.
    pub fn explain_markdown(&self) -> String {
        let absence = if self.absence {
            " Withheld while a file of the contract does not parse or one of its documents is not read as written."
        } else {
            ""
        };
        format!(
            "# {} {}: {}\n\nDefault severity: {}. Category: {}.{absence}\n\n{}\n",
            self.code,
            self.name,
            self.summary,
            self.severity.as_str(),
            self.category.as_str(),
            self.docs_markdown().trim_end()
        )
    }

    /// The file name of the rule's page under docs/rules/: `CT004-dangling-reference.md`.
    pub fn docs_page(&self) -> String {
        format!("{}-{}.md", self.code, self.name)
    }

    /// Where the page of a rule shipped with contrail is published: docs/rules/ in the
    /// repository at this version's tag, so the link keeps matching the binary that made it.
    pub fn docs_url(&self) -> String {
        format!(
            "{}/blob/v{}/docs/rules/{}",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION"),
            self.docs_page()
        )
    }

    /// `CT004 dangling-reference`
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}
