import { ScrollBox } from "@/app/_components/scroll-box";
import type { FixBlock, FixSection, FixStep, Signal } from "@/lib/fixes/types";
import { CopyButton } from "./copy-button";

/** Renders a fix page's sections. Everything is text in JSX: names from the URL can never become markup. */
export function FixSections({ sections }: { sections: FixSection[] }) {
  return (
    <>
      {sections.map((section) => (
        <section
          key={section.id}
          className="card"
          data-testid={`fix-section-${section.id}`}
          aria-labelledby={`fix-${section.id}`}
        >
          <h2 id={`fix-${section.id}`}>{section.title}</h2>
          {section.blocks.map((block, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: blocks are static content in a fixed order
            <Block key={i} block={block} />
          ))}
        </section>
      ))}
    </>
  );
}

function Block({ block }: { block: FixBlock }) {
  switch (block.kind) {
    case "subheading":
      return <h3>{block.text}</h3>;
    case "paragraph":
      return <p>{block.text}</p>;
    case "list":
      return (
        <ul>
          {block.items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      );
    case "steps":
      return (
        <ol>
          {block.steps.map((step) => (
            <Step key={step.text} step={step} />
          ))}
        </ol>
      );
    case "code":
      return (
        <figure className="code-block">
          <div
            className="code-head"
            style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 8 }}
          >
            {block.code.title ? <figcaption className="muted">{block.code.title}</figcaption> : <span />}
            <CopyButton text={block.code.text} />
          </div>
          <pre data-language={block.code.language}>
            <code>{block.code.text}</code>
          </pre>
        </figure>
      );
    case "signals":
      return <SignalTable signals={block.signals} />;
  }
}

function Step({ step }: { step: FixStep }) {
  return (
    <li>
      {step.path ? (
        <>
          <strong data-testid="menu-path">{step.path.join(" › ")}</strong>
          {": "}
        </>
      ) : null}
      {step.text}
      {step.link ? (
        <>
          {" "}
          <a href={step.link.href} target="_blank" rel="noreferrer noopener">
            {step.link.label}
          </a>
        </>
      ) : null}
    </li>
  );
}

const WHERE: Record<Signal["where"], string> = {
  "user-event": "Keycloak event",
  http: "HTTP answer",
  log: "Server log",
  "resource-server": "Your API",
};

function SignalTable({ signals }: { signals: Signal[] }) {
  return (
    <ScrollBox>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Seen as</th>
            <th scope="col">type</th>
            <th scope="col">error</th>
            <th scope="col">reason</th>
            <th scope="col">HTTP</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {signals.map((s) => (
            <tr key={`${s.where}|${s.type}|${s.error}|${s.reason}|${s.note}`}>
              <td>{WHERE[s.where]}</td>
              <td>{s.type ? <code>{s.type}</code> : null}</td>
              <td>{s.error ? <code>{s.error}</code> : null}</td>
              <td>{s.reason}</td>
              <td>{s.status}</td>
              <td>{s.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
