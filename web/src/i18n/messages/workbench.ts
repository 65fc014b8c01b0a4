/** The workbench (工作台): what needs the reader now. */
export default {
  'zh-CN': {
    workbench: {
      scope: '辖区：{name}',
      department: '本部门待办',
      byTier: '各层级待办',
      cards: {
        total: '待办合计',
        assigned: '待签收',
        accepted: '办理中',
        pastDeadline: '已超时限',
        dueSoon: '24 小时内到期',
        overdue: '超期事件',
        mine: '我的待办',
      },
      list: '待办事件（按时限先后）',
      more: '另有 {n} 件待办未列出',
      viewAll: '查看全部事件',
      empty: '暂无待办事件',
      mine: '我的',
      columns: { title: '事件标题', tier: '当前层级', status: '状态', assignees: '承办人', grid: '网格', deadline: '剩余时间' },
      autoRefresh: '每 {seconds} 秒自动刷新',
    },
  },
  en: {
    workbench: {
      scope: 'Area: {name}',
      department: 'Your department',
      byTier: 'Waiting, by tier',
      cards: {
        total: 'Waiting',
        assigned: 'Awaiting acceptance',
        accepted: 'In progress',
        pastDeadline: 'Past deadline',
        dueSoon: 'Due within 24 h',
        overdue: 'Overdue',
        mine: 'Yours',
      },
      list: 'Waiting reports, nearest deadline first',
      more: '{n} more not listed',
      viewAll: 'All reports',
      empty: 'Nothing waiting',
      mine: 'Yours',
      columns: { title: 'Title', tier: 'Tier', status: 'Status', assignees: 'Assigned to', grid: 'Grid', deadline: 'Time left' },
      autoRefresh: 'Refreshes every {seconds} s',
    },
  },
};
