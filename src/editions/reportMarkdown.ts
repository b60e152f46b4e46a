import type { EditionReport, ReportActionItem, ReportProposal } from './views';

/**
 * Typed text as Markdown that shows it as typed: characters Markdown would read as syntax are escaped, and
 * line breaks become spaces (every entry is one line or one table row).
 */
export function markdownText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~-]/g, (character) => `\\${character}`);
}

function proposalLine(proposal: ReportProposal): string {
  const { decision } = proposal;
  return (
    `- **${markdownText(proposal.title)}** (${proposal.groupId}, \`${proposal.id}\`): ${decision.outcome} on ` +
    `${decision.decidedAt.slice(0, 10)} by ${decision.chairEntityId}. ${markdownText(decision.note)}`
  );
}

function itemTable(items: readonly ReportActionItem[]): string[] {
  if (items.length === 0) return ['None.'];
  return [
    '| Action item | Group | Owner | Due | Status |',
    '|---|---|---|---|---|',
    ...items.map((item) => {
      const status = item.overdue ? 'overdue' : item.status === 'open' ? `open (${item.percent}%)` : item.status;
      return `| ${markdownText(item.title)} | ${item.groupId} | ${item.ownerEntityId} | ${item.dueDate} | ${status} |`;
    }),
  ];
}

function section(title: string, lines: string[]): string[] {
  return [`## ${title}`, '', ...lines, ''];
}

/** The report as a Markdown document: what `/editions/{id}/report.md` answers. */
export function reportMarkdown(report: EditionReport): string {
  const { proposals, actionItems, period } = report;
  const proposalLines = (list: readonly ReportProposal[]) => (list.length === 0 ? ['None.'] : list.map(proposalLine));
  return [
    `# Report of edition ${report.number}: ${markdownText(report.title)}`,
    '',
    `Period: ${period.from ?? 'the beginning'} to ${period.to}. Statuses as of ${report.today}.`,
    '',
    ...section(`Proposals adopted (${proposals.adopted.length})`, proposalLines(proposals.adopted)),
    ...section(`Proposals rejected (${proposals.rejected.length})`, proposalLines(proposals.rejected)),
    ...section(`Action items opened in the period (${actionItems.opened.length})`, itemTable(actionItems.opened)),
    ...section(
      `Open action items carried over (${actionItems.carriedOver.length})`,
      itemTable(actionItems.carriedOver),
    ),
  ].join('\n');
}
