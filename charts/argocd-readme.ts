/** The README of `infra/argocd/`, written by synth. */
export const ARGOCD_README = `# infra/argocd (generated)

Written by \`npm run synth\` from \`charts/argocd-chart.ts\` and \`lib/argocd/\`. Do not edit these files:
change the TypeScript and re-run synth. CI fails when this folder differs from what the code generates.

The \`root\` Application syncs this whole folder, so ArgoCD's Applications, projects and settings change
only through Git. \`docs/argocd.md\` explains what each object enforces and how to add an Application.

- \`applications/\`: \`root\` (this folder) and \`robson-backend-prod\` (\`infra/k8s/overlays/prod\` of main).
- \`applicationsets/\`: \`previews\`, one Application per pull request labelled \`preview\`.
- \`projects/\`: \`production\`, \`preview\`, \`gitops\`: which repository, namespaces and kinds each may use.
- \`settings/\`: \`argocd-notifications-cm\` (alerts to Slack) and \`argocd-rbac-cm\` (who may do what).
`;
