/** The SMS log (短信): every message sent for the reports of the reader's subtree. */
export default {
  'zh-CN': {
    sms: {
      filters: { status: '发送状态', node: '所属节点', nodePlaceholder: '节点代码', label: '筛选短信' },
      columns: {
        at: '发送时间',
        recipient: '接收人',
        to: '手机号码',
        status: '状态',
        attempts: '尝试次数',
        text: '短信内容',
        report: '所属事件',
      },
      status: { sending: '发送中', sent: '已发送', failed: '发送失败' },
      reminder: '督办提醒',
      error: '失败原因：{error}',
      masked: '号码已隐藏，完整号码见人员目录',
      refused: '无权查看短信记录',
      paging: { previous: '上一页', next: '下一页', page: '第 {n} 页' },
    },
    errors: { codes: { SMS_ADMINS_ONLY: '短信记录仅管理员可查看；事件详情中可查看该事件的短信' } },
  },
  en: {
    sms: {
      filters: { status: 'Status', node: 'Node', nodePlaceholder: 'Node code', label: 'Filter SMS' },
      columns: {
        at: 'Sent',
        recipient: 'Recipient',
        to: 'Number',
        status: 'Status',
        attempts: 'Attempts',
        text: 'Text',
        report: 'Report',
      },
      status: { sending: 'Sending', sent: 'Sent', failed: 'Failed' },
      reminder: 'Supervision reminder',
      error: 'Why: {error}',
      masked: 'Numbers are masked: the people directory has them in full',
      refused: 'No access to the SMS log',
      paging: { previous: 'Previous', next: 'Next', page: 'Page {n}' },
    },
    errors: { codes: { SMS_ADMINS_ONLY: 'The SMS log is for admins; a report’s own SMS are on the report' } },
  },
};
