// ZATCA writes with the shared UBL writer: its output is canonical, which the invoice hash relies on.
export { type Attrs, escapeAttr, escapeText, leaf, node, optLeaf } from '@invoiceflow/ubl';
