import { defineConfig } from 'vitepress';

/**
 * The PMOS documentation site. It builds and renders offline: no remote fonts, analytics,
 * CDN assets or external links are needed, and dead internal links fail the build.
 */
export default defineConfig({
  lang: 'en-US',
  title: 'PMOS',
  description:
    'PMOS is an open, multi-tenant workspace for running a company’s automations and AI ' +
    'operations. Install it, configure it and contribute to it.',
  cleanUrls: true,
  lastUpdated: false,
  head: [
    ['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }],
    ['meta', { name: 'theme-color', content: '#5e6ad2' }],
  ],
  markdown: {
    lineNumbers: false,
  },
  themeConfig: {
    logo: { src: '/logo.svg', alt: '' },
    nav: [
      { text: 'Guide', link: '/guide/quick-start', activeMatch: '^/guide/' },
      { text: 'Plugins', link: '/plugins/', activeMatch: '^/plugins/' },
      { text: 'Reference', link: '/reference/configuration', activeMatch: '^/reference/' },
      { text: 'Status', link: '/#status-and-roadmap' },
    ],
    sidebar: [
      {
        text: 'Introduction',
        items: [
          { text: 'What is PMOS?', link: '/' },
          { text: 'Status and roadmap', link: '/#status-and-roadmap' },
        ],
      },
      {
        text: 'Guide',
        items: [
          { text: 'Quick start', link: '/guide/quick-start' },
          { text: 'Accounts and roles', link: '/guide/accounts-and-roles' },
          { text: 'Flows', link: '/guide/flows' },
          { text: 'Runs and triggers', link: '/guide/runs' },
          { text: 'Chat and approvals', link: '/guide/chat' },
          { text: 'Basecamp and MCP', link: '/guide/basecamp-and-mcp' },
          { text: 'Security', link: '/guide/security' },
          { text: 'Development', link: '/guide/development' },
        ],
      },
      {
        text: 'Plugins',
        items: [
          { text: 'Concepts', link: '/plugins/' },
          { text: 'Tutorial: your first connector', link: '/plugins/tutorial' },
          { text: 'Props', link: '/plugins/props' },
          { text: 'Auth and connections', link: '/plugins/auth' },
          { text: 'Testing', link: '/plugins/testing' },
          { text: 'UI panels', link: '/plugins/panels' },
          { text: 'AI providers', link: '/plugins/ai-providers' },
          { text: 'Flow sync', link: '/plugins/flow-sync' },
          { text: 'The manifest', link: '/plugins/manifest' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Configuration', link: '/reference/configuration' },
          { text: 'Command line (pmos)', link: '/reference/cli' },
          { text: 'HTTP API', link: '/reference/http-api' },
        ],
      },
    ],
    search: { provider: 'local' },
    outline: { level: [2, 3], label: 'On this page' },
    docFooter: { prev: 'Previous', next: 'Next' },
    footer: {
      message: 'Released under the Apache-2.0 license.',
    },
  },
});
