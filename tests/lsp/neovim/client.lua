-- Drives `capi-refs lsp` through Neovim's built-in LSP client, headless (Neovim 0.7 and later), for
-- tests/lsp/neovim.test.ts. Environment: CAPI_REFS_NODE, CAPI_REFS_CLI (the server command), CAPI_REFS_FILE (the
-- C file to open), CAPI_REFS_OUT (where to write what it saw, as JSON).
local out = {}
local function finish()
  local f = assert(io.open(os.getenv('CAPI_REFS_OUT'), 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('CAPI_REFS_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'capi-refs',
    cmd = { os.getenv('CAPI_REFS_NODE'), os.getenv('CAPI_REFS_CLI'), 'lsp' },
    root_dir = vim.fn.fnamemodify(os.getenv('CAPI_REFS_FILE'), ':h'),
    init_options = { python = '3.13' },
  })
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- Diagnostics arrive once the server has analysed the opened buffer.
  out.diagnostics_arrived = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out.diagnostics, { line = d.lnum, code = d.code, source = d.source, message = d.message })
  end

  -- Hover over PyDict_GetItem (the first diagnostic's position).
  local first = vim.diagnostic.get(bufnr)[1]
  local position = { line = first.lnum, character = first.col + 2 }
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }, 30000)
  out.hover = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or vim.NIL

  -- The code action for it, applied to the buffer; the client sends the change, the server analyses again.
  -- As Neovim's own code-action request does: the diagnostic back in the protocol's shape, with its data.
  local lsp = (first.user_data and first.user_data.lsp) or {}
  local lsp_diagnostics = { {
    range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.end_lnum, character = first.end_col } },
    severity = first.severity, message = first.message, source = first.source, code = first.code or lsp.code, data = lsp.data,
  } }
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = position, ['end'] = position },
    context = { diagnostics = lsp_diagnostics },
  }, 30000)
  local action = actions and actions[client_id] and actions[client_id].result and actions[client_id].result[1]
  out.action_title = action and action.title or vim.NIL
  if action then
    vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
    out.text_after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
    out.cleared = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50)
  end
  vim.lsp.stop_client(client_id)
end)
if not ok then out.error = tostring(err) end
finish()
